// /calendar on a real database: a day and why, a complaint's count, and overrides that move a live deadline.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, calendarOverrides } from "../../../src/db/schema/index.ts";
import { useTestDatabase } from "../../helpers/database.ts";
import { cardOf, createComplaintBot, field, numberOf, textOf } from "../complaints/complaint-bot.ts";

const t = useTestDatabase();

// Thursday 2027-02-04 10:00 in Shanghai, the day before 除夕 of a year with no published notice.
const START = "2027-02-04T10:00:00+08:00";

describe("/calendar explains a day", () => {
  it("a provisional statutory holiday, in English, with the mark explained", async () => {
    const bot = createComplaintBot(t.database, { start: START });
    const anyone = await bot.person("ou_anyone", "Ann");
    const text = textOf(await bot.say(anyone, "/calendar 2027-02-05"));
    expect(text).toContain("2027-02-05 (Friday): day off — statutory holiday: Spring Festival (provisional)");
    expect(text).toContain("(provisional) = the State Council notice for that year is not in the data yet");
    expect(text).toContain("Company overrides: none");
  });

  it("a make-up workday and a day in lieu, in Chinese; today without an argument", async () => {
    const bot = createComplaintBot(t.database, { start: START });
    const anyone = await bot.person("ou_anyone", "安");
    expect(textOf(await bot.say(anyone, "/日历 2026-10-10"))).toContain(
      "2026-10-10 (星期六): 工作日 — 国庆节 调休上班",
    );
    expect(textOf(await bot.say(anyone, "/日历 2027/2/10"))).toContain(
      "2027-02-10 (星期三): 休息日 — 春节 补假/调休放假（暂定）",
    );
    expect(textOf(await bot.say(anyone, "/日历"))).toContain(
      "2027-02-04 (星期四): 工作日 — 周一至周五（暂定）",
    );
  });

  it("refuses what is neither a date nor a number, changing nothing", async () => {
    const bot = createComplaintBot(t.database, { start: START });
    const anyone = await bot.person("ou_anyone", "Ann");
    expect(textOf(await bot.say(anyone, "/calendar tomorrow"))).toContain("give a date (2027-02-05)");
    expect(textOf(await bot.say(anyone, "/calendar C-20270204-999"))).toContain(
      "there is no complaint C-20270204-999",
    );
  });
});

describe("/calendar set and unset move a live complaint deadline", () => {
  it("a year's notice pasted at once: overrides, audit rows, the deadline moves and the card says so", async () => {
    const bot = createComplaintBot(t.database, { start: START });
    const clerk = await bot.person("ou_clerk", "张三");
    const admin = await bot.person("ou_admin", "Root", ["admin"]);
    const number = numberOf(cardOf(await bot.say(clerk, "/complaint new ACME wet boxes")));
    // 02-05…02-10 off by the rule: 02-11 (1), 02-12 (2), 02-15 (3).
    expect(await bot.row(number)).toMatchObject({
      resolutionDueAt: new Date("2027-02-15T02:00:00Z"),
      resolutionDueProvisional: true,
      resolutionDueMovedFrom: null,
    });

    const notice = [
      "# 2027 notice as published",
      "2027-02-05..2027-02-12 holiday 春节",
      "2027-02-14 workday 春节调休",
      "",
      "2027-10-01~2027-10-07 休息 国庆节",
    ].join("\n");
    const reply = textOf(await bot.say(admin, `/calendar set ${notice}`));
    // 02-13 Sat off, Sun 02-14 make-up (1), 02-15 (2), 02-16 (3).
    expect(reply).toContain("Set 16 day(s) of company overrides.");
    expect(reply).toContain(`${number}: 2027-02-15 10:00 → 2027-02-16 10:00 (provisional)`);
    expect(await bot.row(number)).toMatchObject({
      resolutionDueAt: new Date("2027-02-16T02:00:00Z"),
      resolutionDueMovedFrom: new Date("2027-02-15T02:00:00Z"),
      version: 2,
    });
    const actions = (await bot.auditRows(number)).map((row) => row.action);
    expect(actions).toEqual(["complaint.opened", "complaint.deadline_moved"]);
    const overrideAudits = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "calendar.override_set"));
    expect(overrideAudits).toHaveLength(16);
    expect(overrideAudits[0]).toMatchObject({
      entityType: "calendar_day",
      entityId: "2027-02-05",
      actorPersonId: admin.personId,
    });

    const card = cardOf(
      await bot.click(clerk, { action: "complaint.view", value: { id: number, lang: "en" } }),
    );
    expect(field(card, "Resolution due")).toMatch(
      /^2027-02-16 10:00 \(Tue\) \(provisional\) · .* · moved by a calendar change from 2027-02-15 10:00$/,
    );
    expect(textOf(await bot.say(clerk, `/calendar ${number}`))).toContain("2027-02-14 working day 1");
    expect(textOf(await bot.say(admin, "/calendar 2027-02-14"))).toContain(
      "2027-02-14 (Sunday): working day — company override: 春节调休",
    );

    const removed = textOf(await bot.say(admin, "/calendar unset 2027-02-05..2027-02-14"));
    expect(removed).toContain("Removed 9 day(s) of company overrides.");
    expect(removed).toContain(`${number}: 2027-02-16 10:00 → 2027-02-15 10:00 (provisional)`);
    expect(await bot.row(number)).toMatchObject({
      resolutionDueAt: new Date("2027-02-15T02:00:00Z"),
      resolutionDueMovedFrom: new Date("2027-02-16T02:00:00Z"),
    });
  });

  it("a bad line refuses the whole paste, naming the line; nothing is written", async () => {
    const bot = createComplaintBot(t.database, { start: START });
    const admin = await bot.person("ou_admin", "Root", ["admin"]);
    const reply = textOf(await bot.say(admin, "/日历 设置 2027-02-05 休息 春节\n2027-02-30 上班 调休"));
    expect(reply).toContain("第 2 行有误, 未作任何更改");
    expect(reply).toContain("2027-02-30");
    expect(textOf(await bot.say(admin, "/calendar set 2027-02-05 sometimes"))).toContain(
      "line 1 is wrong, nothing changed: the second word must be holiday or workday: sometimes",
    );
    expect(await t.database.db.select().from(calendarOverrides)).toEqual([]);
  });

  it("unset of a day without an override says so and changes nothing", async () => {
    const bot = createComplaintBot(t.database, { start: START });
    const admin = await bot.person("ou_admin", "Root", ["admin"]);
    expect(textOf(await bot.say(admin, "/calendar unset 2027-03-01"))).toContain(
      "2027-03-01 has no company override; nothing changed",
    );
  });
});
