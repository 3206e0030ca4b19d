// A server whose process runs in UTC (or Los Angeles) numbers orders and judges "past" by OPS_TIMEZONE's day.
//
// Around midnight in Shanghai the UTC date is still the day before: 2026-11-26T16:00:30Z is 00:00:30 on the
// 27th in Shanghai. Code that read the process zone would number O-20261126-… and accept a due date of the 26th.
import { afterEach, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "../../helpers/database.ts";
import { sourceOf } from "../../helpers/rich-text.ts";

const t = useTestDatabase();

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Process zones to try, with the offset getTimezoneOffset must then report on 2026-11-26. */
const PROCESS_ZONES = [
  ["UTC", 0],
  ["America/Los_Angeles", 480],
] as const;

async function botUnderProcessZone(zone: string, offsetMinutes: number) {
  vi.stubEnv("TZ", zone);
  // Proves the stub took: otherwise the test would not show anything about the process zone.
  expect(new Date("2026-11-26T16:00:00Z").getTimezoneOffset()).toBe(offsetMinutes);
  vi.resetModules();
  const { createOrderBot, cardOf, textOf } = await import("./order-bot.ts");
  return { bot: createOrderBot(t.database, "2026-11-26T15:59:30Z", "Asia/Shanghai"), cardOf, textOf };
}

const numberIn = (title: string): string | undefined => /O-\d{8}-\d{3}/.exec(title)?.[0];

describe("orders around midnight in OPS_TIMEZONE, process zone elsewhere", () => {
  it.each(PROCESS_ZONES)(
    "with TZ=%s: today, past and the numbering day are Shanghai's",
    async (zone, offset) => {
      const { bot, cardOf, textOf } = await botUnderProcessZone(zone, offset);
      const zhang = await bot.person("ou_zhang", "张三", ["staff"]);

      // 23:59:30 on the 26th in Shanghai: the 26th is today, and the number carries the 26th.
      const lastOfDay = cardOf((await bot.say(zhang, "/下单 华为 X1 100 2026-11-26")).reply);
      expect(numberIn(lastOfDay.title)).toBe("O-20261126-001");
      expect(lastOfDay.fields?.find((field) => field.label === "下单")?.value).toBe("张三 · 23:59");
      const confirm = await bot.click(zhang, "order.confirm", { id: "O-20261126-001", lang: "zh" });
      expect(confirm.result.card?.note).toBe("已由 张三 于 23:59 确认");

      // One minute later it is the 27th in Shanghai, though still the 26th in UTC and in Los Angeles.
      bot.clock.advance(60_000);
      expect(textOf((await bot.say(zhang, "/下单 华为 X1 100 2026-11-26")).reply)).toBe(
        "交期不能早于今天 (2026-11-27): 2026-11-26 — 用法: /下单 <客户> <型号> <数量> <交期>",
      );
      const firstOfDay = cardOf((await bot.say(zhang, "/下单 华为 X1 100 2026-11-27")).reply);
      expect(numberIn(firstOfDay.title)).toBe("O-20261127-001");
      // Yesterday's order is now overdue by one day, and its confirmation reads with its date.
      const overdue = cardOf((await bot.say(zhang, "/订单 逾期")).reply);
      expect(overdue.title).toBe("订单 · 逾期 (1)");
      expect(sourceOf(overdue.markdown)).toContain(
        "O-20261126-001** 华为 · X1 × 100 · 交期 2026-11-26 · 已确认 · 逾期 1 天",
      );
      expect(textOf((await bot.say(zhang, "/延期 O-20261126-001 2026-11-26 再等等")).reply)).toBe(
        "新交期不能早于今天 (2026-11-27): 2026-11-26",
      );
      const delayed = cardOf((await bot.say(zhang, "/延期 O-20261126-001 2026-11-27 今天发")).reply);
      expect(delayed.fields?.find((field) => field.label === "交期")?.value).toBe(
        "2026-11-27 (原交期 2026-11-26, 已延期 1 次)",
      );
      const again = await bot.click(zhang, "order.confirm", { id: "O-20261126-001", lang: "zh" });
      expect(again.result.toast?.text).toBe("订单 O-20261126-001 已由 张三 于 2026-11-26 23:59 确认");
    },
  );
});
