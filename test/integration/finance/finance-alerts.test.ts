// The finance alerts on the working calendar: a working day not reconciled by 10:00 of the next working day, and
// a reimbursement waiting for finance more than one working day; on a working day, around the make-up Saturday
// 2026-10-10 (a working day to reconcile and to count) and over the National Day holiday (no day to reconcile).
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { alerts, auditLog } from "../../../src/db/schema/index.ts";
import { addDays } from "../../../src/domain/calendar/local-time.ts";
import { decideExpense, requestExpense } from "../../../src/domain/finance/expenses.ts";
import { reconcileDay } from "../../../src/domain/finance/reconciliation.ts";
import { larkActor, useAlertArea } from "../../helpers/alert-area.ts";
import { keysOf, local, person, TIMEZONE } from "../alerts/support.ts";

const t = useAlertArea({ start: local("2026-09-01", "08:00") });
let clerk: number;

const actorAt = larkActor("finance", { personId: () => clerk, name: "会计", roles: ["finance"] });
const reconcile = (day: string, at: Date) =>
  reconcileDay(t.database.db, actorAt(at), { day, income: 100_00n, expense: 20_50n, timezone: TIMEZONE });
const askExpense = (at: Date) =>
  requestExpense(
    { db: t.database.db, outbox: t.bot.outbox },
    actorAt(at),
    { amount: 128_50n, reason: "打车", chat: { id: "oc_team", kind: "group" }, timezone: TIMEZONE },
    () => ({ type: "text", text: "reimbursement" }),
  );
/** Every day of the three weeks up to `last` reconciled, so only the days a test leaves open can be alerted. */
async function reconciledThrough(last: string, at: Date): Promise<void> {
  for (let back = 21; back >= 0; back--) await reconcile(addDays(last, -back), at);
}
/** The first notices of an alert kind (escalations are the ladder's business, tested with the alerts). */
const keysOfKind = (kind: string) =>
  keysOf(t.sent).filter((key) => key.startsWith(`alert:${kind}:`) && !key.includes(":escalation:"));

beforeEach(async () => {
  clerk = await person(t.database, "ou_clerk", "会计");
});

describe("a working day not reconciled by 10:00 of the next working day", () => {
  it("is alerted at 10:00 on a working day and cleared once the day is reconciled", async () => {
    // The days before 11-24 were reconciled; Tuesday 11-24 was not.
    await reconciledThrough("2026-11-23", local("2026-11-24", "09:00"));
    await t.bot.sweep(local("2026-11-25", "09:59"));
    expect(keysOfKind("reconciliation")).toEqual([]);
    await t.bot.sweep(local("2026-11-25", "10:00"));
    expect(keysOfKind("reconciliation")).toEqual(["alert:reconciliation:2026-11-24:missed:0:lark:oc_alerts"]);
    await reconcile("2026-11-24", local("2026-11-25", "10:30"));
    expect((await t.bot.sweep(local("2026-11-25", "10:35"))).cleared).toBe(1);
    const [closed] = await t.database.db.select().from(alerts).where(eq(alerts.kind, "reconciliation"));
    expect(closed?.closedReason).toBe("cleared");
  });

  it("counts the make-up Saturday 2026-10-10: Friday is due on Saturday 10:00, Saturday on Monday 10:00", async () => {
    await reconciledThrough("2026-10-08", local("2026-10-09", "09:00"));
    await t.bot.sweep(local("2026-10-10", "09:59"));
    expect(keysOfKind("reconciliation")).toEqual([]);
    await t.bot.sweep(local("2026-10-10", "10:00"));
    expect(keysOfKind("reconciliation")).toEqual(["alert:reconciliation:2026-10-09:missed:0:lark:oc_alerts"]);
    await reconcile("2026-10-09", local("2026-10-10", "11:00"));
    // Sunday 10-11 is a day off: nothing is due on it, and Saturday is due on Monday.
    await t.bot.sweep(local("2026-10-12", "09:59"));
    expect(keysOfKind("reconciliation")).toHaveLength(1);
    await t.bot.sweep(local("2026-10-12", "10:00"));
    expect(keysOfKind("reconciliation")).toEqual([
      "alert:reconciliation:2026-10-09:missed:0:lark:oc_alerts",
      "alert:reconciliation:2026-10-10:missed:0:lark:oc_alerts",
    ]);
  });

  it("asks nothing of the National Day holiday: 09-30 is due on 10-08 10:00, the holidays never", async () => {
    await reconciledThrough("2026-09-29", local("2026-09-30", "09:00"));
    await t.bot.sweep(local("2026-10-01", "10:00"));
    await t.bot.sweep(local("2026-10-05", "10:00"));
    expect(keysOfKind("reconciliation")).toEqual([]);
    await t.bot.sweep(local("2026-10-08", "10:00"));
    expect(keysOfKind("reconciliation")).toEqual(["alert:reconciliation:2026-09-30:missed:0:lark:oc_alerts"]);
  });
});

describe("a reimbursement waiting for finance more than 1 working day", () => {
  it("is alerted a working day after it was asked, and cleared once finance decides", async () => {
    const { expense } = await askExpense(local("2026-11-24", "15:00"));
    expect(expense.signDueAt).toEqual(local("2026-11-25", "15:00"));
    await t.bot.sweep(local("2026-11-25", "14:59"));
    expect(keysOfKind("expense")).toEqual([]);
    await t.bot.sweep(local("2026-11-25", "15:00"));
    expect(keysOfKind("expense")).toEqual([`alert:expense:${expense.number}:overdue:0:lark:oc_alerts`]);
    await decideExpense(
      { db: t.database.db, outbox: t.bot.outbox },
      actorAt(local("2026-11-25", "15:10")),
      { number: expense.number },
      () => ({ type: "text", text: "signed" }),
    );
    expect((await t.bot.sweep(local("2026-11-25", "15:15"))).cleared).toBe(1);
  });

  it("waits over the National Day holiday, and counts the make-up Saturday", async () => {
    const beforeHoliday = await askExpense(local("2026-09-30", "15:00"));
    expect(beforeHoliday.expense.signDueAt).toEqual(local("2026-10-08", "15:00"));
    const friday = await askExpense(local("2026-10-09", "15:00"));
    expect(friday.expense.signDueAt).toEqual(local("2026-10-10", "15:00"));
    await t.bot.sweep(local("2026-10-05", "15:00"));
    expect(keysOfKind("expense")).toEqual([]);
    await t.bot.sweep(local("2026-10-08", "15:00"));
    expect(keysOfKind("expense")).toEqual([
      `alert:expense:${beforeHoliday.expense.number}:overdue:0:lark:oc_alerts`,
    ]);
    await t.bot.sweep(local("2026-10-10", "15:00"));
    expect(keysOfKind("expense")).toEqual([
      `alert:expense:${beforeHoliday.expense.number}:overdue:0:lark:oc_alerts`,
      `alert:expense:${friday.expense.number}:overdue:0:lark:oc_alerts`,
    ]);
  });
});

describe("a second reconciliation of a day", () => {
  it("replaces the first, and the audit keeps both", async () => {
    await reconcile("2026-11-24", local("2026-11-24", "18:00"));
    const second = await reconcileDay(t.database.db, actorAt(local("2026-11-25", "09:00")), {
      day: "2026-11-24",
      income: 100_00n,
      expense: 25_00n,
      note: "one more invoice",
      timezone: TIMEZONE,
    });
    expect(second.replaced).toMatchObject({ income: 100_00n, expense: 20_50n, recordedByName: "会计" });
    expect(second.saved).toMatchObject({ expense: 25_00n, note: "one more invoice" });
    const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.entityType, "reconciliation"));
    expect(rows.map((row) => [row.action, row.before, row.after])).toEqual([
      ["reconciliation.recorded", null, { income: "100.00", expense: "20.50", note: null }],
      [
        "reconciliation.replaced",
        { income: "100.00", expense: "20.50", note: null, recordedBy: "会计" },
        { income: "100.00", expense: "25.00", note: "one more invoice" },
      ],
    ]);
  });
});
