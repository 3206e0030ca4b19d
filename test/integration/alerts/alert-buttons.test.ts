// The alert card's buttons and the repeat/escalation clock: ack, snooze 1 h, snooze to tomorrow, escalate.
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { alerts, auditLog } from "../../../src/db/schema/index.ts";
import { useAlertArea } from "../../helpers/alert-area.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import { cardOf, cardOfResult, click, complaintReceived, keysOf, local, person } from "./support.ts";

const t = useAlertArea({ start: local("2026-11-25", "08:00"), subscribedAt: local("2026-11-01", "08:00") });
let li: number;

const C1 = "C-20261125-001";
const breach = (n: number, chat = "oc_alerts") => `alert:response:${C1}:breach:${n}:lark:${chat}`;
const escalation = (n: number, chat = "oc_alerts") => `alert:response:${C1}:escalation:${n}:lark:${chat}`;
const responseKeys = () => keysOf(t.sent).filter((key) => key.startsWith("alert:response"));

beforeEach(async () => {
  const wang = await person(t.database, "ou_wang", "王伟");
  li = await person(t.database, "ou_li", "李雷");
  await person(t.database, "ou_boss", "张总", true);
  // Received Wednesday 10:00: the first response is due Thursday 10:00.
  await complaintReceived(t.database, C1, local("2026-11-25", "10:00"), wang);
});

async function breachAlertId(): Promise<number> {
  const [row] = await t.database.db
    .select({ id: alerts.id })
    .from(alerts)
    .where(and(eq(alerts.kind, "response"), eq(alerts.level, "breach")));
  if (!row) throw new Error("no breach alert");
  return row.id;
}

async function pressAt(
  at: Date,
  actionId: string,
  eventId: string,
  chat?: { chatId: string; chatKind: "group" | "direct"; userId?: string },
) {
  t.bot.clock.set(at.toISOString());
  return t.bot.handler.action(click(actionId, await breachAlertId(), { eventId, ...chat }));
}

const auditOf = (action: string) =>
  t.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, "alert"), eq(auditLog.action, action)));

describe("repeats and escalation", () => {
  it("repeats an unacked alert every 4 working hours, across the night", async () => {
    await t.bot.sweep(local("2026-11-26", "10:00"));
    await t.bot.sweep(local("2026-11-26", "13:55"));
    expect(responseKeys()).toEqual([breach(0)]);
    await t.bot.sweep(local("2026-11-26", "14:00"));
    await t.bot.sweep(local("2026-11-26", "18:00"));
    // 18:00 + 4 working hours = 2 h before 20:00 and 2 h after 08:00.
    await t.bot.sweep(local("2026-11-26", "21:00"));
    await t.bot.sweep(local("2026-11-27", "09:55"));
    expect(responseKeys()).toEqual([breach(0), breach(1), breach(2)]);
    expect(cardOf(t.sent.at(-1)?.message).note).toBe("第 3 次提醒 / Notice 3");
  });

  it("escalates an alert unacked for 1 working day to the managers, and stops its own repeats", async () => {
    await t.bot.sweep(local("2026-11-26", "10:00"));
    await t.bot.sweep(local("2026-11-26", "14:00"));
    await t.bot.sweep(local("2026-11-26", "18:00"));
    await t.bot.sweep(local("2026-11-27", "10:00"));
    await t.bot.sweep(local("2026-11-27", "14:00"));
    expect(responseKeys().sort()).toEqual([
      breach(0),
      breach(1),
      breach(2),
      escalation(0),
      escalation(0, "ou_boss"),
      escalation(1),
      escalation(1, "ou_boss"),
    ]);
    const card = cardOf(t.sent.find((item) => item.key === escalation(0, "ou_boss"))?.message);
    expect(card.title).toBe("升级 / Escalated: 投诉首次回复已超时 / Complaint first response overdue");
    expect(sourceOf(card.markdown)).toContain("Unacknowledged for 1 working day");
    expect(await auditOf("alert.escalated")).toMatchObject([{ actorPersonId: null }]);
  });
});

describe("buttons", () => {
  it("Ack stops the repeats and the escalation, and records who", async () => {
    await t.bot.sweep(local("2026-11-26", "10:00"));
    const result = await pressAt(local("2026-11-26", "10:02"), "alert.ack", "ack1");
    expect(result.toast?.text).toBe("Acknowledged: no more reminders");
    const card = cardOfResult(result);
    expect(card.note).toBe("已由 李雷 于 10:02 确认 / Acknowledged by 李雷 at 10:02");
    expect(card.buttons).toEqual([]);
    expect(await auditOf("alert.acked")).toMatchObject([
      { actorPersonId: li, platformMessageId: "lark:card:ack1" },
    ]);

    await t.bot.sweep(local("2026-11-26", "14:00"));
    await t.bot.sweep(local("2026-11-27", "10:00"));
    expect(responseKeys()).toEqual([breach(0)]);

    const again = await pressAt(local("2026-11-26", "10:03"), "alert.ack", "ack2");
    expect(again.toast).toEqual({ kind: "info", text: "already acknowledged at 10:02" });
  });

  it("Snooze 1 h holds the next notice an hour, and records who", async () => {
    await t.bot.sweep(local("2026-11-26", "10:00"));
    const result = await pressAt(local("2026-11-26", "10:10"), "alert.snooze_hour", "s1");
    expect(result.toast?.text).toBe("Reminding again at 11:10");
    expect(cardOfResult(result).note).toBe("李雷 已推迟到 11:10 再提醒 / Snoozed by 李雷 until 11:10");
    await t.bot.sweep(local("2026-11-26", "11:05"));
    expect(responseKeys()).toEqual([breach(0)]);
    await t.bot.sweep(local("2026-11-26", "11:10"));
    expect(responseKeys()).toEqual([breach(0), breach(1)]);
    expect(await auditOf("alert.snoozed")).toMatchObject([{ actorPersonId: li }]);
  });

  it("Snooze to tomorrow on a Friday waits until Monday 08:00", async () => {
    await t.bot.sweep(local("2026-11-26", "10:00"));
    await t.bot.sweep(local("2026-11-26", "14:00"));
    await t.bot.sweep(local("2026-11-26", "18:00"));
    const result = await pressAt(local("2026-11-27", "09:00"), "alert.snooze_tomorrow", "s2");
    expect(result.toast?.text).toBe("Reminding again at 2026-11-30 08:00");
    await t.bot.sweep(local("2026-11-27", "10:00"));
    await t.bot.sweep(local("2026-11-27", "14:00"));
    await t.bot.sweep(local("2026-11-29", "10:00"));
    expect(responseKeys()).toEqual([breach(0), breach(1), breach(2)]);
    await t.bot.sweep(local("2026-11-30", "08:00"));
    expect(responseKeys()).toEqual([breach(0), breach(1), breach(2), breach(3)]);
  });

  it("Escalate sends to the alert groups and each manager at once, and closes the clicked alert", async () => {
    await t.bot.sweep(local("2026-11-26", "10:00"));
    const result = await pressAt(local("2026-11-26", "10:30"), "alert.escalate", "e1");
    expect(result.toast?.text).toBe("Escalated to the managers");
    expect(cardOfResult(result)).toMatchObject({
      note: "已升级给经理 / Escalated to the managers",
      buttons: [],
    });
    expect(responseKeys().sort()).toEqual([breach(0), escalation(0), escalation(0, "ou_boss")]);
    const card = cardOf(t.sent.find((item) => item.key === escalation(0, "ou_boss"))?.message);
    expect(sourceOf(card.markdown)).toContain("Escalated to the managers by 李雷");
    expect(card.buttons?.map((button) => button.action)).toEqual([
      "alert.ack",
      "alert.snooze_hour",
      "alert.snooze_tomorrow",
    ]);
    expect(await auditOf("alert.escalated")).toMatchObject([{ actorPersonId: li }]);

    await t.bot.sweep(local("2026-11-26", "14:00"));
    await t.bot.sweep(local("2026-11-26", "14:30"));
    expect(responseKeys().slice(3).sort()).toEqual([escalation(1), escalation(1, "ou_boss")]);
  });

  it("refuses a click from a chat the alert was not sent to", async () => {
    await t.bot.sweep(local("2026-11-26", "10:00"));
    const result = await pressAt(local("2026-11-26", "10:02"), "alert.ack", "x1", {
      chatId: "oc_elsewhere",
      chatKind: "group",
    });
    expect(result.toast?.kind).toBe("warning");
    expect(result.toast?.text).toContain("this alert was not sent to this chat");
    const [row] = await t.database.db
      .select()
      .from(alerts)
      .where(eq(alerts.id, await breachAlertId()));
    expect(row?.ackedAt).toBeNull();
  });
});
