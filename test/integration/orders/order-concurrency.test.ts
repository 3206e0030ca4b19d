// Races: 50 orders taken at once get 50 distinct numbers; two Confirm clicks at once confirm exactly once.
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, dailySequences, orders } from "../../../src/db/schema/index.ts";
import { useTestDatabase } from "../../helpers/database.ts";
import { cardOf, createOrderBot, fieldOf, type OrderBot } from "./order-bot.ts";

const t = useTestDatabase();
let bot: OrderBot;

beforeEach(async () => {
  bot = createOrderBot(t.database, "2026-11-26T02:00:00Z");
});

describe("order numbering under concurrency", () => {
  it("gives 50 parallel /order new 50 distinct numbers of the day, 001 to 050", async () => {
    const people = await Promise.all(
      Array.from({ length: 5 }, (_, index) => bot.person(`ou_${index}`, `Person ${index}`)),
    );
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        bot.say(
          people[index % 5] as (typeof people)[number],
          `/order new ACME M${index} ${index + 1} 2026-12-01`,
        ),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(50).fill("ok"));
    const numbers = outcomes.map((outcome) => /O-\d{8}-\d{3}/.exec(cardOf(outcome.reply).title)?.[0]);
    expect(new Set(numbers).size).toBe(50);
    const expected = Array.from(
      { length: 50 },
      (_, index) => `O-20261126-${String(index + 1).padStart(3, "0")}`,
    );
    expect([...numbers].sort()).toEqual(expected);
    const stored = await t.database.db.select({ number: orders.number }).from(orders);
    expect(stored.map((row) => row.number).sort()).toEqual(expected);
    const [sequence] = await t.database.db.select().from(dailySequences);
    expect(sequence).toMatchObject({ prefix: "O", day: "2026-11-26", last: 50 });
    expect(await t.database.db.$count(auditLog, eq(auditLog.action, "order.drafted"))).toBe(50);
  });
});

describe("two Confirm clicks at the same moment", () => {
  it("confirms once; the other click gets the confirmed card and a toast naming who confirmed", async () => {
    const zhang = await bot.person("ou_zhang", "张三");
    // Someone else's draft: confirmed by its creator or a manager.
    const wang = await bot.person("ou_wang", "王伟", ["manager"]);
    const number = /O-\d{8}-\d{3}/.exec(
      cardOf((await bot.say(zhang, "/下单 华为 X1 100 2026-12-01")).reply).title,
    )?.[0] as string;

    const clicks = await Promise.all([
      bot.click(zhang, "order.confirm", { id: number, lang: "zh" }),
      bot.click(wang, "order.confirm", { id: number, lang: "zh" }),
    ]);
    expect(clicks.map((click) => click.status)).toEqual(["ok", "ok"]);
    const toasts = clicks.map((click) => click.result.toast);
    const winner = toasts.findIndex((toast) => toast?.kind === "success");
    expect(winner).not.toBe(-1);
    const confirmer = winner === 0 ? zhang : wang;
    const loser = clicks[1 - winner];
    expect(toasts[winner]?.text).toBe(`已确认订单 ${number}`);
    expect(loser?.result.toast).toEqual({
      kind: "warning",
      text: `订单 ${number} 已由 ${confirmer.name} 于 10:00 确认`,
    });
    for (const click of clicks) {
      const card = click.result.card ?? { title: "", tone: "info" as const };
      expect(fieldOf(card, "状态")).toBe("已确认");
      expect(card.note).toBe(`已由 ${confirmer.name} 于 10:00 确认`);
      expect(card.buttons).toBeUndefined();
    }
    const [row] = await t.database.db.select().from(orders);
    expect(row).toMatchObject({ status: "confirmed", confirmedBy: confirmer.personId, version: 2 });
    const confirmations = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, number), eq(auditLog.action, "order.confirmed")));
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]?.actorPersonId).toBe(confirmer.personId);
  });

  it("lets exactly one of Confirm and Cancel clicked at once win", async () => {
    const zhang = await bot.person("ou_zhang", "张三");
    const rounds = await Promise.all(
      Array.from({ length: 10 }, async (_, index) => {
        const outcome = await bot.say(zhang, `/下单 华为 R${index} 1 2026-12-01`);
        const number = /O-\d{8}-\d{3}/.exec(cardOf(outcome.reply).title)?.[0] as string;
        const [confirm, cancel] = await Promise.all([
          bot.click(zhang, "order.confirm", { id: number, lang: "en" }),
          bot.click(zhang, "order.cancel", { id: number, lang: "en" }),
        ]);
        return [confirm.result.toast?.kind, cancel.result.toast?.kind].sort();
      }),
    );
    expect(rounds).toEqual(Array(10).fill(["success", "warning"]));
    const changes = await t.database.db.select().from(auditLog).where(eq(auditLog.entityType, "order"));
    expect(changes.filter((change) => change.action !== "order.drafted")).toHaveLength(10);
  });
});
