// The overdue sweep on an injected clock: complaint clocks, quiet hours, weekends, late orders, missed inspections.
import { asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { alerts, complaints, inspectionAreas, inspections, orders } from "../../../src/db/schema/index.ts";
import { completeOrder } from "../../../src/domain/orders/order-changes.ts";
import { useAlertArea } from "../../helpers/alert-area.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import {
  cardOf,
  complaintReceived,
  confirmedOrder,
  keysOf,
  local,
  person,
  startInstance,
  TIMEZONE,
} from "./support.ts";

const t = useAlertArea({ start: local("2026-11-25", "08:00"), subscribedAt: local("2026-11-01", "08:00") });
let staff: number;

beforeEach(async () => {
  staff = await person(t.database, "ou_wang", "王伟");
});

const C1 = "C-20261126-001";
const keysFor = (prefix: string) => keysOf(t.sent).filter((key) => key.startsWith(prefix));

describe("complaint clocks", () => {
  it("a day in the life: nothing at 10:00, nothing in the night, the response breach once at 09:00", async () => {
    await complaintReceived(t.database, C1, local("2026-11-26", "09:00"), staff);

    await t.bot.sweep(local("2026-11-26", "10:00"));
    expect(keysFor("alert:response")).toEqual([]);

    await t.bot.sweep(local("2026-11-27", "03:00"));
    expect(keysFor("alert:response")).toEqual([]);

    await t.bot.sweep(local("2026-11-27", "09:00"));
    await t.bot.sweep(local("2026-11-27", "09:00"));
    await t.bot.sweep(local("2026-11-27", "09:05"));
    // The warning held since 03:00 was outranked by the breach before it could go out.
    expect(keysFor("alert:response")).toEqual([`alert:response:${C1}:breach:0:lark:oc_alerts`]);
    const card = cardOf(t.sent.find((item) => item.key.startsWith("alert:response"))?.message);
    expect(card.title).toBe("投诉首次回复已超时 / Complaint first response overdue");
    expect(card.fields).toContainEqual({ label: "投诉 / Complaint", value: C1 });
    expect(card.buttons?.map((button) => button.action)).toEqual([
      "alert.ack",
      "alert.snooze_hour",
      "alert.snooze_tomorrow",
      "alert.escalate",
    ]);
  });

  it("holds the 75 % warning raised at 03:00 (18 h) until 08:00", async () => {
    await complaintReceived(t.database, C1, local("2026-11-26", "09:00"), staff);
    await t.bot.sweep(local("2026-11-27", "02:55"));
    expect(await t.database.db.select().from(alerts)).toEqual([]);
    await t.bot.sweep(local("2026-11-27", "03:00"));
    const [raised] = await t.database.db.select().from(alerts);
    expect(raised).toMatchObject({
      kind: "response",
      level: "warning",
      notifyAt: local("2026-11-27", "08:00"),
    });
    await t.bot.sweep(local("2026-11-27", "07:55"));
    expect(keysFor("alert:response")).toEqual([]);
    await t.bot.sweep(local("2026-11-27", "08:00"));
    expect(keysFor("alert:response")).toEqual([`alert:response:${C1}:warning:0:lark:oc_alerts`]);
    const card = cardOf(t.sent[0]?.message);
    expect(card.title).toContain("due soon");
    expect(card.tone).toBe("warning");
  });

  it("a complaint on a Friday evening: breach held over the weekend, resolution due on Wednesday", async () => {
    const number = "C-20261127-001";
    await complaintReceived(t.database, number, local("2026-11-27", "19:00"), staff);
    const [row] = await t.database.db.select().from(complaints);
    expect(row?.resolutionDueAt).toEqual(local("2026-12-02", "19:00"));

    await t.bot.sweep(local("2026-11-28", "13:00")); // 75 % of 24 h, Saturday
    await t.bot.sweep(local("2026-11-28", "19:00")); // breach, Saturday
    await t.bot.sweep(local("2026-11-29", "12:00"));
    expect(keysFor("alert:")).toEqual([]);
    await t.bot.sweep(local("2026-11-30", "08:00"));
    expect(keysFor("alert:response")).toEqual([`alert:response:${number}:breach:0:lark:oc_alerts`]);

    await t.database.db
      .update(complaints)
      .set({ status: "responded", respondedAt: local("2026-11-30", "09:00"), respondedBy: staff })
      .where(eq(complaints.number, number));
    await t.bot.sweep(local("2026-12-01", "20:00"));
    // 2.25 working days from Friday 19:00 is Wednesday 01:00: raised then, sent at 08:00.
    await t.bot.sweep(local("2026-12-02", "00:55"));
    await t.bot.sweep(local("2026-12-02", "01:00"));
    expect(keysFor("alert:resolution")).toEqual([]);
    await t.bot.sweep(local("2026-12-02", "08:00"));
    await t.bot.sweep(local("2026-12-02", "19:00"));
    expect(keysFor("alert:resolution")).toEqual([
      `alert:resolution:${number}:warning:0:lark:oc_alerts`,
      `alert:resolution:${number}:breach:0:lark:oc_alerts`,
    ]);
    expect(keysFor("alert:response")).toHaveLength(1);
    const response = await t.database.db
      .select()
      .from(alerts)
      .where(eq(alerts.kind, "response"))
      .orderBy(asc(alerts.id));
    expect(response.map(({ level, closedReason }) => ({ level, closedReason }))).toEqual([
      { level: "warning", closedReason: "superseded" },
      { level: "breach", closedReason: "cleared" },
    ]);
  });
});

describe("orders", () => {
  it("escalates an order 6 days late to the alert group and each manager: call a special review meeting", async () => {
    await person(t.database, "ou_boss", "张总", true);
    await confirmedOrder(t.database, "O-20261110-001", "2026-11-20", staff);
    await confirmedOrder(t.database, "O-20261110-002", "2026-11-24", staff);
    await confirmedOrder(t.database, "O-20261110-003", "2026-11-26", staff);
    await t.bot.sweep(local("2026-11-26", "09:00"));
    expect(keysFor("alert:order").sort()).toEqual([
      "alert:order:O-20261110-001:review:0:lark:oc_alerts",
      "alert:order:O-20261110-001:review:0:lark:ou_boss",
      "alert:order:O-20261110-002:overdue:0:lark:oc_alerts",
    ]);
    const toBoss = t.sent.find((item) => item.key.endsWith(":ou_boss"));
    expect(toBoss?.target).toEqual({ kind: "chat", platform: "lark", chatId: "ou_boss", chatKind: "direct" });
    const card = cardOf(toBoss?.message);
    expect(sourceOf(card.markdown)).toContain("请召开专项评审会");
    expect(sourceOf(card.markdown)).toContain("订单 O-20261110-001 (客户 比亚迪) 已逾期 6 天");
    expect(sourceOf(card.markdown)).toContain("Call a special review meeting");
    expect(sourceOf(card.markdown)).toContain("is 6 days late");
    expect(card.buttons?.map((button) => button.action)).not.toContain("alert.escalate");
  });

  it("counts lateness from the original due date, as the KPI does", async () => {
    await confirmedOrder(t.database, "O-20261110-004", "2026-11-30", staff, "2026-11-19");
    await t.bot.sweep(local("2026-11-26", "09:00"));
    expect(keysFor("alert:order")).toEqual(["alert:order:O-20261110-004:review:0:lark:oc_alerts"]);
  });
});

describe("clearing", () => {
  const completed = (number: string) =>
    completeOrder(t.database.db, {
      number,
      actor: {
        personId: staff,
        name: "王伟",
        roles: ["staff"],
        platform: "lark",
        platformMessageId: `om_done_${number}`,
        at: local("2026-11-26", "09:02"),
      },
      timezone: TIMEZONE,
    });
  const openOrderAlerts = async () =>
    (await t.database.db.select().from(alerts).where(eq(alerts.kind, "order")).orderBy(asc(alerts.entity)))
      .filter((alert) => alert.closedAt === null)
      .map((alert) => alert.entity);

  it("closes the alert of an order completed between two ticks and leaves the one whose order did not change", async () => {
    await confirmedOrder(t.database, "O-20261110-001", "2026-11-24", staff);
    await confirmedOrder(t.database, "O-20261110-002", "2026-11-24", staff);
    expect((await t.bot.sweep(local("2026-11-26", "09:00"))).raised).toBe(2);
    expect((await t.bot.sweep(local("2026-11-26", "09:01"))).cleared).toBe(0);

    await completed("O-20261110-001");
    expect((await t.bot.sweep(local("2026-11-26", "09:05"))).cleared).toBe(1);
    expect(await openOrderAlerts()).toEqual(["O-20261110-002"]);
    const [closed] = await t.database.db.select().from(alerts).where(eq(alerts.entity, "O-20261110-001"));
    expect(closed).toMatchObject({ closedReason: "cleared", closedAt: local("2026-11-26", "09:05") });
    expect((await t.bot.sweep(local("2026-11-26", "09:10"))).cleared).toBe(0);
  });

  it("a rerun of an older tick leaves the alerts raised after it to be judged by the next tick", async () => {
    await confirmedOrder(t.database, "O-20261110-001", "2026-11-24", staff);
    await t.bot.sweep(local("2026-11-26", "09:00"));
    await completed("O-20261110-001");

    expect((await t.bot.sweep(local("2026-11-26", "08:00"))).cleared).toBe(0);
    expect(await openOrderAlerts()).toEqual(["O-20261110-001"]);
    expect((await t.bot.sweep(local("2026-11-26", "09:05"))).cleared).toBe(1);
    expect(await openOrderAlerts()).toEqual([]);
  });
});

describe("a storm of alerts", () => {
  it("keeps at most 1,000 notice rows waiting in the outbox, the gravest first; later sweeps store the rest", async () => {
    await person(t.database, "ou_boss", "张总", true);
    const at = new Date("2026-11-01T02:00:00Z");
    const lateOrder = (number: string, dueDate: string) => ({
      number,
      customer: "比亚迪",
      model: "X1",
      quantity: 100,
      dueDate,
      originalDueDate: dueDate,
      status: "confirmed" as const,
      platform: "lark",
      chatId: "oc_floor",
      createdBy: staff,
      createdAt: at,
      confirmedBy: staff,
      confirmedAt: at,
    });
    const late = Array.from({ length: 1_200 }, (_, n) =>
      lateOrder(`O-20261101-${String(n + 1).padStart(4, "0")}`, "2026-11-25"),
    );
    // Raised last of all, but 6 days late: the managers' review goes out before the others' notices.
    late.push(lateOrder("O-20261101-9999", "2026-11-20"));
    await t.database.db.insert(orders).values(late);

    const first = await t.bot.sweep(local("2026-11-26", "09:00"));
    expect(first.raised).toBe(1_201);
    // The review (to the group and the manager) and 998 of the overdue notices: 1,000 rows.
    expect(first.notices).toBe(999);
    expect(keysFor("alert:order:O-20261101-9999:review:0")).toHaveLength(2);
    const unsent = await t.database.db.select({ id: alerts.id }).from(alerts).where(eq(alerts.sentCount, 0));
    expect(unsent).toHaveLength(202);

    // The bot sent 200 of the rows at once; the outbox keeps the other 800 for its drain, so there is room for 200.
    const second = await t.bot.sweep(local("2026-11-26", "09:01"));
    expect(second).toMatchObject({ raised: 0, notices: 200 });
    const third = await t.bot.sweep(local("2026-11-26", "09:02"));
    expect(third).toMatchObject({ raised: 0, notices: 2 });
    const orderKeys = keysFor("alert:order");
    expect(new Set(orderKeys).size).toBe(orderKeys.length);
  });
});

describe("inspections", () => {
  async function inspected(area: string, at: Date) {
    const [areaRow] = await t.database.db
      .select({ id: inspectionAreas.id })
      .from(inspectionAreas)
      .where(eq(inspectionAreas.code, area));
    await t.database.db.insert(inspections).values({
      number: "I-20261126-001",
      areaId: Number(areaRow?.id),
      submittedBy: staff,
      submittedAt: at,
      platform: "lark",
      chatId: "oc_floor",
    });
  }

  it("alerts on areas not inspected by their 10:00 cut-off on a working day, not on Sunday", async () => {
    await inspected("warehouse", local("2026-11-26", "09:30"));
    await t.bot.sweep(local("2026-11-26", "09:55"));
    expect(keysFor("alert:inspection")).toEqual([]);
    await t.bot.sweep(local("2026-11-26", "10:00"));
    expect(keysFor("alert:inspection")).toEqual([
      "alert:inspection:production:2026-11-26:missed:0:lark:oc_alerts",
      "alert:inspection:office:2026-11-26:missed:0:lark:oc_alerts",
    ]);
    const card = cardOf(t.sent[0]?.message);
    expect(card.fields).toContainEqual({ label: "区域 / Area", value: "生产车间 / Production floor" });

    t.sent.length = 0;
    await t.bot.sweep(local("2026-11-29", "10:00"));
    await t.bot.sweep(local("2026-11-29", "15:00"));
    expect(keysFor("alert:inspection")).toEqual([]);
  });
});

describe("exactly once", () => {
  it("two instances on the same tick send one alert; a rerun of that tick or an older one sends nothing", async () => {
    await complaintReceived(t.database, C1, local("2026-11-25", "10:00"), staff);
    const other = startInstance(t.database, t.sent, local("2026-11-26", "10:00"));
    const tick = local("2026-11-26", "10:00");
    await Promise.all([t.bot.sweep(tick), other.sweep(tick)]);
    expect(keysFor("alert:response")).toEqual([`alert:response:${C1}:breach:0:lark:oc_alerts`]);
    expect(await t.database.db.select().from(alerts).where(eq(alerts.kind, "response"))).toHaveLength(1);

    await t.bot.sweep(tick);
    await other.sweep(local("2026-11-26", "09:00"));
    await t.bot.sweep(local("2026-11-26", "10:05"));
    expect(keysFor("alert:response")).toHaveLength(1);
    expect(keysFor("alert:inspection")).toHaveLength(3);
    const [alert] = await t.database.db.select().from(alerts).where(eq(alerts.kind, "response"));
    expect(alert).toMatchObject({ level: "breach", sentCount: 1, closedAt: null });
  });
});

describe("the provisional mark", () => {
  it("a resolution deadline and an inspection cut-off on provisional days say so; the response clock does not", async () => {
    // Mon 2027-02-01 10:00: 02-02, 02-03, 02-04 → due Thu 02-04 10:00 by 2027's provisional rule.
    const number = "C-20270201-001";
    await complaintReceived(t.database, number, local("2027-02-01", "10:00"), staff);
    // Past three quarters of the clock (2.25 working days: 02-03 16:00) and past the 10:00 cut-off.
    await t.bot.sweep(local("2027-02-03", "17:00"));
    const byKind = (prefix: string) =>
      cardOf(t.sent.find((item) => item.key.startsWith(prefix))?.message).fields?.find(
        (field) => field.label === "期限 / Due" || field.label === "截止 / Cut-off",
      )?.value;
    expect(byKind("alert:response")).not.toContain("暂定");
    expect(byKind("alert:resolution")).toBe("2027-02-04 10:00（暂定） (provisional)");
    expect(byKind("alert:inspection")).toBe("2027-02-03 10:00（暂定） (provisional)");
  });

  it("a published day carries no mark", async () => {
    await t.bot.sweep(local("2026-11-26", "10:00"));
    const card = cardOf(t.sent.find((item) => item.key.startsWith("alert:inspection"))?.message);
    expect(card.fields).toContainEqual({ label: "截止 / Cut-off", value: "2026-11-26 10:00" });
  });
});
