// Complaint deadlines through /投诉 on the real calendar: make-up days, holidays, unpublished years, overrides, zones.
import { afterEach, describe, expect, it, vi } from "vitest";
import { HOUR_MS } from "../../../src/domain/calendar/local-time.ts";
import { setCalendarOverride } from "../../../src/domain/calendar/overrides-repository.ts";
import { truncateAll, useTestDatabase } from "../../helpers/database.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import { cardOf, createComplaintBot, field, numberOf } from "./complaint-bot.ts";

const t = useTestDatabase();

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Opens a complaint at a Shanghai wall-clock time; returns the card and the stored row. */
async function openAt(shanghaiTime: string, command = "/投诉 华为 包装破损") {
  const bot = createComplaintBot(t.database, { start: `${shanghaiTime}+08:00` });
  const clerk = await bot.person("ou_clerk", "张三");
  const card = cardOf(await bot.say(clerk, command));
  const row = await bot.row(numberOf(card));
  return { bot, clerk, card, row };
}

describe("resolution deadline: 3 working days on the mainland-China calendar", () => {
  it("received Wed 2026-09-30 10:00 → due Sat 2026-10-10 10:00, the make-up workday after National Day", async () => {
    const { card, row } = await openAt("2026-09-30T10:00:00");
    expect(numberOf(card)).toBe("C-20260930-001");
    expect(row).toMatchObject({
      status: "open",
      customer: "华为",
      description: "包装破损",
      receivedAt: new Date("2026-09-30T02:00:00Z"),
      responseDueAt: new Date("2026-10-01T02:00:00Z"),
      resolutionDueAt: new Date("2026-10-10T02:00:00Z"),
      resolutionDueProvisional: false,
    });
    expect(field(card, "首次回复期限")).toBe("2026-10-01 10:00 (周四) · 还剩 24 小时");
    expect(field(card, "解决期限")).toBe("2026-10-10 10:00 (周六) · 还剩 10 天");
  });

  it("received on the make-up Saturday 2026-02-14 → counted from that day, over the Spring Festival", async () => {
    const { card, row } = await openAt("2026-02-14T10:00:00");
    // 02-14 is a working day, 02-15…02-23 are off: 02-24, 02-25, 02-26.
    expect(row?.resolutionDueAt).toEqual(new Date("2026-02-26T02:00:00Z"));
    expect(field(card, "解决期限")).toMatch(/^2026-02-26 10:00 \(周四\) · /);
  });

  it("received on a holiday (2026-10-03 15:00) → the clock starts 10-08 00:00 → due Mon 10-12 00:00", async () => {
    const { card, row } = await openAt("2026-10-03T15:00:00");
    // 10-08, 10-09 and the make-up Saturday 10-10 are the three days; whole days from 00:00 end at the next
    // working day's 00:00, which is Monday (Sunday 10-11 is off).
    expect(row?.resolutionDueAt).toEqual(new Date("2026-10-11T16:00:00Z"));
    // The first response still counts 24 clock hours, holiday or not.
    expect(row?.responseDueAt).toEqual(new Date("2026-10-04T07:00:00Z"));
    expect(field(card, "解决期限")).toMatch(/^2026-10-12 00:00 \(周一\) · /);
  });

  it("received Friday evening before the make-up Saturday → the Saturday counts, due Tuesday evening", async () => {
    const { row, card } = await openAt("2026-10-09T18:00:00");
    // 10-10 (Sat, make-up), 10-12 (Mon), 10-13 (Tue), keeping 18:00.
    expect(row?.resolutionDueAt).toEqual(new Date("2026-10-13T10:00:00Z"));
    expect(field(card, "解决期限")).toMatch(/^2026-10-13 18:00 \(周二\) · /);
  });

  it("received an ordinary Friday evening → Monday, Tuesday, Wednesday evening", async () => {
    const { row } = await openAt("2026-11-13T19:30:00");
    expect(row?.resolutionDueAt).toEqual(new Date("2026-11-18T11:30:00Z"));
  });

  it("a year with no published data (2031) is counted by the provisional rule and shown as provisional", async () => {
    const { card, row } = await openAt("2031-03-05T10:00:00", "/complaint new Acme broken seal");
    expect(row).toMatchObject({
      resolutionDueAt: new Date("2031-03-10T02:00:00Z"),
      resolutionDueProvisional: true,
    });
    expect(field(card, "Resolution due")).toBe("2031-03-10 10:00 (Mon) (provisional) · 5 d left");
    expect(field(card, "First response due")).not.toContain("provisional");
  });

  it("a deadline that runs into the unpublished year is provisional too; one inside 2026 is not", async () => {
    const late = await openAt("2026-12-30T10:00:00");
    // 12-31, then 2027 by the provisional rule: 01-01 is 元旦, so 01-04 and 01-05.
    expect(late.row).toMatchObject({
      resolutionDueAt: new Date("2027-01-05T02:00:00Z"),
      resolutionDueProvisional: true,
    });
    expect(field(late.card, "解决期限")).toContain("（暂定）");
    await truncateAll(t.database);
    const early = await openAt("2026-12-24T10:00:00");
    expect(early.row?.resolutionDueProvisional).toBe(false);
    expect(field(early.card, "解决期限")).not.toContain("暂定");
  });

  it("counts the admins' calendar overrides: an extra day off pushes the deadline", async () => {
    const bot = createComplaintBot(t.database, { start: "2026-09-28T10:00:00+08:00" });
    const clerk = await bot.person("ou_clerk", "张三");
    const before = await bot.row(numberOf(cardOf(await bot.say(clerk, "/投诉 华为 第一单"))));
    // 09-29, 09-30, then the holiday, then 10-08.
    expect(before?.resolutionDueAt).toEqual(new Date("2026-10-08T02:00:00Z"));

    await setCalendarOverride(t.database.db, {
      day: "2026-09-29",
      kind: "off",
      by: null,
      now: bot.clock.now(),
    });
    const after = await bot.row(numberOf(cardOf(await bot.say(clerk, "/投诉 华为 第二单"))));
    expect(after?.resolutionDueAt).toEqual(new Date("2026-10-09T02:00:00Z"));
  });

  it("an override can turn a day off into a working day", async () => {
    await setCalendarOverride(t.database.db, {
      day: "2026-10-03",
      kind: "work",
      by: null,
      now: new Date("2026-09-01T00:00:00Z"),
    });
    const { row } = await openAt("2026-10-03T15:00:00");
    // 10-03 itself is now a working day: 10-08, 10-09, 10-10 at 15:00.
    expect(row?.resolutionDueAt).toEqual(new Date("2026-10-10T07:00:00Z"));
  });
});

describe("business time zone, not the server's", () => {
  it.each([
    ["UTC", 0],
    ["America/Los_Angeles", 420],
  ])("gives the same number, deadlines and card with the process in TZ=%s", async (zone, offset) => {
    vi.stubEnv("TZ", zone);
    // The stub must really move the process clock, or this test would prove nothing.
    expect(new Date("2026-09-30T02:00:00Z").getTimezoneOffset()).toBe(offset);
    const { card, row } = await openAt("2026-09-30T23:30:00");
    expect(numberOf(card)).toBe("C-20260930-001");
    expect(row?.resolutionDueAt).toEqual(new Date("2026-10-10T15:30:00Z"));
    expect(field(card, "解决期限")).toMatch(/^2026-10-10 23:30 \(周六\) · /);
    expect(card.note).toBe("张三 于 2026-09-30 23:30 登记");
  });

  it("numbers by the day in OPS_TIMEZONE: 00:30 in Shanghai is already the next day", async () => {
    const { card } = await openAt("2026-10-01T00:30:00");
    expect(numberOf(card)).toBe("C-20261001-001");
  });

  it("another OPS_TIMEZONE moves the day and the working-day clock with it", async () => {
    // 2026-09-30 20:00 UTC is already 10-01 04:00 in Shanghai, a holiday; in UTC it is a Wednesday.
    const bot = createComplaintBot(t.database, { start: "2026-09-30T20:00:00Z", timezone: "UTC" });
    const clerk = await bot.person("ou_clerk", "张三");
    const card = cardOf(await bot.say(clerk, "/投诉 华为 包装破损"));
    expect(numberOf(card)).toBe("C-20260930-001");
    expect((await bot.row(numberOf(card)))?.resolutionDueAt).toEqual(new Date("2026-10-10T20:00:00Z"));
  });
});

describe("time left on the card, from the injected clock", () => {
  it("counts down, then shows how long it is overdue, in the language of the command", async () => {
    const { bot, clerk, card } = await openAt("2026-09-30T10:00:00", "/complaint new Acme broken seal");
    const number = numberOf(card);
    expect(card.tone).toBe("info");
    bot.clock.advance(19 * HOUR_MS);
    const soon = cardOf(await bot.say(clerk, "/complaint list"));
    expect(sourceOf(soon.markdown)).toContain(
      `**${number}** Acme · awaiting response · response 5 h left · resolution`,
    );
    bot.clock.advance(7 * HOUR_MS + 10 * 60_000);
    const late = cardOf(await bot.say(clerk, "/投诉列表 已超时"));
    expect(late.title).toBe("投诉 · 已超时 (1)");
    expect(sourceOf(late.markdown)).toContain("回复 已超时 2 小时");
    const english = cardOf(await bot.say(clerk, "/complaint list overdue"));
    expect(sourceOf(english.markdown)).toContain("response 2 h overdue");
  });
});
