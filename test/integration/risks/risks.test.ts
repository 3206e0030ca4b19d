// Risks on the working calendar: a high risk without a plan with an owner is alerted 1 working day after it was
// raised (a working day, the make-up Saturday 2026-10-10, held over the National Day holiday), cleared once
// planned; the first morning digest of the week lists the open high risks and their plans.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { renderDigestCard } from "../../../commands/digest/cards.ts";
import { alerts, tasks } from "../../../src/db/schema/index.ts";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.ts";
import { computeDigest } from "../../../src/domain/digest/content.ts";
import { isFirstWorkingDayOfWeek } from "../../../src/domain/digest/weekly.ts";
import { closeRisk, planRisk, raiseRisk } from "../../../src/domain/risks/changes.ts";
import { larkActor, useAlertArea } from "../../helpers/alert-area.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import { cardOf, keysOf, local, person, TIMEZONE } from "../alerts/support.ts";

const t = useAlertArea({ start: local("2026-09-01", "08:00") });
let manager: number;
let engineer: number;

const actorAt = larkActor("risk", { personId: () => manager, name: "经理", roles: ["manager"] });
const raise = (at: Date, likelihood: number, impact: number, description = "主供应商可能停产") =>
  raiseRisk(t.database.db, actorAt(at), { likelihood, impact, description }, TIMEZONE);
const riskKeys = () => keysOf(t.sent).filter((key) => key.startsWith("alert:risk"));
const calendar = createWorkingCalendar({ timezone: TIMEZONE, overrides: new Map() });

beforeEach(async () => {
  manager = await person(t.database, "ou_manager", "经理", true);
  engineer = await person(t.database, "ou_engineer", "工程师");
});

describe("a high risk without a plan", () => {
  it("is alerted 1 working day after it was raised on a working day, once, and cleared when planned with an owner", async () => {
    const { number } = await raise(local("2026-11-26", "10:00"), 4, 5);
    await raise(local("2026-11-26", "10:00"), 2, 5, "low score: never alerted");
    await t.bot.sweep(local("2026-11-27", "09:59"));
    expect(riskKeys()).toEqual([]);
    await t.bot.sweep(local("2026-11-27", "10:00"));
    expect(riskKeys()).toEqual([`alert:risk:${number}:overdue:0:lark:oc_alerts`]);
    const notice = JSON.stringify(cardOf(t.sent.find((item) => item.key.startsWith("alert:risk"))?.message));
    expect(notice).toContain("High risk without a plan and owner: plan it with /risk plan");
    expect(notice).toContain(number);
    expect(notice).toContain("20 (可能性 / likelihood 4 × 影响 / impact 5)");
    // Due today: the time alone.
    expect(notice).toContain(`Plan due","value":"10:00"`);
    await t.bot.sweep(local("2026-11-27", "10:05"));
    expect(riskKeys()).toHaveLength(1);

    // A plan without an owner is not enough; one with an owner clears the alert.
    await planRisk(
      t.database.db,
      actorAt(local("2026-11-27", "11:00")),
      number,
      { plan: "第二供应商" },
      TIMEZONE,
    );
    expect((await t.bot.sweep(local("2026-11-27", "11:01"))).cleared).toBe(0);
    await planRisk(
      t.database.db,
      actorAt(local("2026-11-27", "11:10")),
      number,
      { plan: "第二供应商", ownerPersonId: engineer },
      TIMEZONE,
    );
    expect((await t.bot.sweep(local("2026-11-27", "11:11"))).cleared).toBe(1);
    const [cleared] = await t.database.db.select().from(alerts).where(eq(alerts.kind, "risk"));
    expect(cleared).toMatchObject({ entity: number, closedReason: "cleared" });
    expect(cleared?.facts).toMatchObject({ type: "risk", score: 20, likelihood: 4, impact: 5 });
  });

  it("raised on Friday 2026-10-09 is alerted on the make-up Saturday 2026-10-10", async () => {
    const { number } = await raise(local("2026-10-09", "10:00"), 5, 3);
    await t.bot.sweep(local("2026-10-10", "09:59"));
    expect(riskKeys()).toEqual([]);
    await t.bot.sweep(local("2026-10-10", "10:00"));
    expect(riskKeys()).toEqual([`alert:risk:${number}:overdue:0:lark:oc_alerts`]);
  });

  it("raised the day before the National Day holiday waits for the first working day after it", async () => {
    const { number } = await raise(local("2026-09-30", "10:00"), 5, 5);
    await t.bot.sweep(local("2026-10-01", "10:00"));
    await t.bot.sweep(local("2026-10-05", "12:00"));
    await t.bot.sweep(local("2026-10-08", "09:59"));
    expect(riskKeys()).toEqual([]);
    await t.bot.sweep(local("2026-10-08", "10:00"));
    expect(riskKeys()).toEqual([`alert:risk:${number}:overdue:0:lark:oc_alerts`]);
  });

  it("closed, is no longer alerted, and its plan's open task is done with it", async () => {
    const { number } = await raise(local("2026-11-26", "10:00"), 4, 4);
    await t.bot.sweep(local("2026-11-27", "10:00"));
    expect(riskKeys()).toHaveLength(1);
    const { closedTasks } = await closeRisk(t.database.db, actorAt(local("2026-11-27", "10:30")), number);
    expect(closedTasks).toEqual([]);
    expect((await t.bot.sweep(local("2026-11-27", "10:31"))).cleared).toBe(1);

    const other = await raise(local("2026-11-27", "11:00"), 3, 5);
    const { task } = await planRisk(
      t.database.db,
      actorAt(local("2026-11-27", "11:05")),
      other.number,
      { plan: "修补屋顶", ownerPersonId: engineer, due: "2026-12-04" },
      TIMEZONE,
    );
    const closed = await closeRisk(t.database.db, actorAt(local("2026-11-27", "11:10")), other.number);
    expect(closed.closedTasks).toEqual([task?.number]);
    const [done] = await t.database.db.select().from(tasks);
    expect(done).toMatchObject({ status: "done", doneBy: manager });
  });
});

describe("the weekly risks in the morning digest", () => {
  it("goes out on the first working day of the week: Monday, or the Thursday after a holiday", () => {
    expect(isFirstWorkingDayOfWeek("2026-11-30", calendar)).toBe(true);
    expect(isFirstWorkingDayOfWeek("2026-12-01", calendar)).toBe(false);
    // National Day: Monday 10-05 to Wednesday 10-07 off, the make-up Saturday 10-10 is not the first.
    expect(isFirstWorkingDayOfWeek("2026-10-05", calendar)).toBe(false);
    expect(isFirstWorkingDayOfWeek("2026-10-08", calendar)).toBe(true);
    expect(isFirstWorkingDayOfWeek("2026-10-10", calendar)).toBe(false);
  });

  it("lists the open high risks with their plans and owners on Monday, and nothing of them on Tuesday", async () => {
    const planned = await raise(local("2026-11-26", "10:00"), 4, 5, "主供应商可能停产");
    await planRisk(
      t.database.db,
      actorAt(local("2026-11-26", "11:00")),
      planned.number,
      { plan: "认证第二供应商", ownerPersonId: engineer, due: "2026-12-10" },
      TIMEZONE,
    );
    const unplanned = await raise(local("2026-11-27", "10:00"), 3, 5, "仓库屋顶漏水");
    await raise(local("2026-11-27", "10:00"), 2, 2, "低风险不列出");
    const closed = await raise(local("2026-11-27", "10:00"), 5, 5, "已关闭不列出");
    await closeRisk(t.database.db, actorAt(local("2026-11-27", "10:30")), closed.number);

    const monday = await computeDigest(t.database.db, {
      now: local("2026-11-30", "09:00"),
      timezone: TIMEZONE,
      calendar,
    });
    expect(monday.weekly?.highRiskTotal).toBe(2);
    const card = sourceOf(renderDigestCard(monday, "zh").markdown);
    expect(card).toContain("**本周高风险及应对计划**");
    expect(card).toContain(
      `- **${planned.number}** 20 (4 × 5) ⚠ 高 主供应商可能停产 — 认证第二供应商 · @工程师 · 截止 2026-12-10`,
    );
    expect(card).toContain(`- **${unplanned.number}** 15 (3 × 5) ⚠ 高 仓库屋顶漏水 — ⚠ 无应对计划`);
    expect(card).not.toContain("低风险不列出");
    expect(card).not.toContain("已关闭不列出");
    expect(sourceOf(renderDigestCard(monday, "en").markdown)).toContain(
      "High risks this week and their plans",
    );

    const tuesday = await computeDigest(t.database.db, {
      now: local("2026-12-01", "09:00"),
      timezone: TIMEZONE,
      calendar,
    });
    expect(tuesday.weekly).toBeUndefined();
    expect(sourceOf(renderDigestCard(tuesday, "zh").markdown)).not.toContain("本周高风险");
  });
});
