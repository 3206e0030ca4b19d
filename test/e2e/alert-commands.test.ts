// /ack, /snooze and /escalate (/确认, /稍后, /升级) end to end through signed webhooks: an overdue task's alert,
// numbered A-, answered by command on Lark, DingTalk (no card template), the WeCom app and the WeCom robot.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts, auditLog, chats, subscriptions, tasks } from "../../src/db/schema/index.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage, sendWeComBotMessage } from "../helpers/e2e-harness.ts";

// Wednesday 2026-11-25 09:30 in Shanghai, a working day, before the inspections' 10:00 cut-off.
const START = new Date("2026-11-25T01:30:00Z");
const LARK_GROUP = "oc_alerts";
const DING_GROUP = "cidLY0TRpE+Ka//RsguNtQnHw==";
const WECOM_GROUP = "wrkSFfCgAAtMQKg4xqDatM5C9IDHFpTw";
const area = useAreaTest({
  prefix: "alertcmd",
  start: START,
  larkChat: LARK_GROUP,
  larkSender: "ou_staff",
  channels: ["lark", "dingtalk", "wecom", "wecomBot"],
});

/** Every platform's alert group subscribed (the WeCom one through its robot's webhook), then a task overdue
 * since yesterday owned by zhangsan on WeCom, and the sweep that raises and sends its alert. */
async function overdueTaskAlert(): Promise<typeof alerts.$inferSelect> {
  const { db } = area.database;
  const now = area.h.clock.now();
  const webhookUrl = `${area.fakes.wecom.url}/cgi-bin/webhook/send?key=${area.fakes.wecom.webhookKey}`;
  await db.insert(chats).values([
    { platform: "lark", chatId: LARK_GROUP, kind: "group", createdAt: now, updatedAt: now },
    { platform: "dingtalk", chatId: DING_GROUP, kind: "group", createdAt: now, updatedAt: now },
    { platform: "wecom", chatId: WECOM_GROUP, kind: "group", webhookUrl, createdAt: now, updatedAt: now },
  ]);
  await db.insert(subscriptions).values(
    [
      ["lark", LARK_GROUP],
      ["dingtalk", DING_GROUP],
      ["wecom", WECOM_GROUP],
    ].map(([platform, chatId]) => ({
      platform: platform as string,
      chatId: chatId as string,
      topic: "alerts",
      createdAt: now,
    })),
  );
  const owner = await area.withRole("wecom", "zhangsan", "staff");
  await db.insert(tasks).values({
    number: "T-20261120-001",
    title: "fix the pump",
    ownerId: owner,
    dueDate: "2026-11-24",
    status: "open",
    sourceType: "command",
    sourceId: "T-20261120-001",
    createdAt: now,
    createdBy: owner,
  });
  await area.h.services.runJobNow("overdue-sweep", now, "test");
  const [alert] = await db.select().from(alerts).where(eq(alerts.kind, "task"));
  if (!alert?.number) throw new Error("no numbered task alert");
  return alert;
}

const current = async (id: number) =>
  (await area.database.db.select().from(alerts).where(eq(alerts.id, id)))[0];

const auditOf = (action: string) =>
  area.database.db.select().from(auditLog).where(eq(auditLog.action, action));

describe("/ack on Lark", () => {
  it("acknowledges by number in the group it was sent to; elsewhere only a manager may", async () => {
    const alert = await overdueTaskAlert();
    expect(alert.number).toBe("A-20261125-001");
    expect(area.lastLark()).toContain("A-20261125-001");

    await area.postLark(`/ack ${alert.number}`, { chatId: "oc_elsewhere" });
    expect(area.lastLark()).toContain(`alert ${alert.number} was not sent to this chat or to you`);
    expect((await current(alert.id))?.ackedAt).toBeNull();

    await area.postLark("/ack A-20261125-999");
    expect(area.lastLark()).toContain("no alert A-20261125-999");
    await area.postLark("/ack");
    expect(area.lastLark()).toMatch(/usage|用法|\/ack <alert no\.>/i);

    const message = await area.postLark(`/ack ${String(alert.number).toLowerCase()}`);
    expect(area.lastLark()).toContain("Acknowledged: no more reminders");
    expect((await current(alert.id))?.ackedAt).not.toBeNull();
    expect(await auditOf("alert.acked")).toEqual([
      expect.objectContaining({ platform: "lark", platformMessageId: message }),
    ]);
    await area.postLark(`/ack ${alert.number}`);
    expect(area.lastLark()).toContain("already acknowledged");
  });

  it("a manager acknowledges from a chat it was never sent to", async () => {
    const alert = await overdueTaskAlert();
    await area.withRole("lark", "ou_boss", "manager");
    await area.postLark(`/ack ${alert.number}`, { chatId: "oc_elsewhere", sender: "ou_boss" });
    expect((await current(alert.id))?.ackedAt).not.toBeNull();
  });
});

describe("/稍后 on DingTalk without a card template", () => {
  it("the notice names its number and the command; /稍后 <A-no> 明天 holds it to the next working morning", async () => {
    const alert = await overdueTaskAlert();
    const notice = JSON.stringify(area.fakes.dingtalk.delivered);
    expect(notice).toContain(`回复 /确认 ${alert.number}`);
    expect(
      await sendDingTalkMessage(area.h, area.fakes, `/稍后 ${alert.number} 明天`, area.messageId("snooze")),
    ).toBe(200);
    expect(JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body)).toContain("将于");
    const after = await current(alert.id);
    // Thursday 2026-11-26 08:00 in Shanghai, the start of working hours.
    expect(after?.snoozedUntil?.toISOString()).toBe("2026-11-26T00:00:00.000Z");
    expect(await auditOf("alert.snoozed")).toEqual([expect.objectContaining({ platform: "dingtalk" })]);
  });
});

describe("/escalate on the WeCom app", () => {
  it("the owner, told directly, escalates from the app chat: the managers' escalation is raised with its own number", async () => {
    const alert = await overdueTaskAlert();
    expect(await sendWeComAppMessage(area.h, `/escalate ${alert.number}`, area.messageId("escalate"))).toBe(
      200,
    );
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain("Escalated to the managers");
    expect(await current(alert.id)).toMatchObject({ closedReason: "escalated" });
    const [escalation] = await area.database.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.kind, "task"), eq(alerts.level, "escalation")));
    expect(escalation?.number).toBe("A-20261125-002");
    expect(await auditOf("alert.escalated")).toEqual([expect.objectContaining({ platform: "wecom" })]);
  });
});

describe("/确认 through the WeCom robot", () => {
  it("the group robot's notice says which command answers it; /确认 from that group acknowledges", async () => {
    const alert = await overdueTaskAlert();
    const webhook = area.fakes.wecom.delivered.find((delivery) =>
      delivery.path.startsWith("/cgi-bin/webhook/send"),
    );
    expect(JSON.stringify(webhook?.body)).toContain(`回复 /确认 ${alert.number}`);
    expect(
      await sendWeComBotMessage(area.h, area.fakes, `/确认 ${alert.number}`, area.messageId("botack"), {
        userId: "lisi",
        chatId: WECOM_GROUP,
      }),
    ).toBe(200);
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain("已确认");
    expect((await current(alert.id))?.ackedAt).not.toBeNull();
  });
});
