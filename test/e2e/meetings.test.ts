// /meeting end to end through the signed webhooks of Lark, DingTalk and WeCom (app and robot): a late order's
// alert with its Schedule meeting button, the meeting that acknowledges it and tells the attendees, minutes that
// move the order's due date by the delay rules, actions as tasks; and an unanswered alert as the ladder has it.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts, auditLog, meetings, orderDelays, orders, tasks } from "../../src/db/schema/index.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage, sendWeComBotMessage } from "../helpers/e2e-harness.ts";
import { tableStates } from "../helpers/table-state.ts";
import { confirmedOrder } from "../integration/alerts/support.ts";

// Thursday 2026-11-26 10:00 in Shanghai, a working day.
const START = new Date("2026-11-26T02:00:00Z");
const area = useAreaTest({
  prefix: "meeting",
  start: START,
  larkChat: "oc_ops",
  larkSender: "ou_boss",
  channels: ["lark", "dingtalk", "wecom", "wecomBot"],
});
const ORDER = "O-20261110-001";

const deliveredTo = (receiver: string, prefix: string) =>
  area.fakes.lark.delivered.filter((delivery) => {
    const body = delivery.body as { uuid?: string; receive_id?: string };
    return body.receive_id === receiver && body.uuid?.startsWith(prefix);
  });

describe("/meeting on Lark", () => {
  it("Schedule meeting on a late order's alert, the meeting acknowledges it, tells the attendees; minutes and actions", async () => {
    const boss = await area.withRole("lark", "ou_boss", "manager");
    await area.subscribeLarkAlerts("oc_ops");
    await confirmedOrder(area.database, ORDER, "2026-11-20", boss);
    await area.sweep(area.h.clock.now());
    const [notice] = deliveredTo("oc_ops", `alert:order:${ORDER}:review:0`);
    expect(JSON.stringify(notice?.body)).toContain("Schedule meeting");
    const [alert] = await area.database.db.select().from(alerts).where(eq(alerts.entity, ORDER));
    expect(alert?.level).toBe("review");

    // The button says what to send, prefilled with the next working day at the suggested time.
    const clicked = await area.clickLark({ action: "meeting.schedule", id: String(alert?.id), lang: "en" });
    expect(clicked).toContain(`/meeting new ${ORDER} 2026-11-27 10:00`);
    expect(clicked).toContain("Ack");

    const before = await tableStates(area.database, [
      "inbox",
      "outbox",
      "audit_log",
      "people",
      "identities",
      "chats",
    ]);
    await area.postLark(`/meeting new ${ORDER} tomorrow @Li`, { name: "bad" });
    expect(area.lastLark()).toContain("write the topic, then the date and time");
    expect(area.lastLark()).toContain("usage: /meeting new <O-no|review|topic…> <YYYY-MM-DD HH:MM> @people…");
    await area.postLark(`/meeting new ${ORDER} 2026-11-25 10:00 @ou_li`, { name: "past" });
    expect(area.lastLark()).toContain("the meeting time 2026-11-25 10:00 is in the past");
    expect(
      await tableStates(area.database, ["inbox", "outbox", "audit_log", "people", "identities", "chats"]),
    ).toEqual(before);

    await area.postLark(`/meeting new ${ORDER} 2026-11-27 10:00 @Li Na @Wang`, {
      name: "new",
      mentions: [
        { key: "@_user_1", openId: "ou_li", name: "Li Na" },
        { key: "@_user_2", openId: "ou_wang", name: "Wang" },
      ],
    });
    const scheduled = area.lastLark();
    expect(scheduled).toContain("Meeting M-20261126-001");
    expect(scheduled).toContain("Li Na, Wang");
    const [acked] = await area.database.db.select().from(alerts).where(eq(alerts.entity, ORDER));
    expect(acked?.ackedBy).toBe(boss);
    expect(deliveredTo("ou_li", "meeting-invite:M-20261126-001")).toHaveLength(1);
    expect(JSON.stringify(deliveredTo("ou_wang", "meeting-invite:M-20261126-001")[0]?.body)).toContain(
      "Meeting invitation",
    );
    const audited = await area.database.db
      .select({ action: auditLog.action, actor: auditLog.actorPersonId })
      .from(auditLog)
      .where(eq(auditLog.actorPersonId, boss));
    expect(audited.map((row) => row.action)).toEqual(
      expect.arrayContaining(["meeting.scheduled", "alert.acked"]),
    );

    // The minutes move the order's due date through the delay rules, the decision as the reason.
    await area.postLark("/meeting minutes M-20261126-001 ship in two lots due 2026-12-05", {
      name: "minutes",
    });
    expect(area.lastLark()).toContain("ship in two lots");
    const [order] = await area.database.db.select().from(orders).where(eq(orders.number, ORDER));
    expect(order).toMatchObject({ dueDate: "2026-12-05", originalDueDate: "2026-11-20", delayCount: 1 });
    const [delay] = await area.database.db.select().from(orderDelays);
    expect(delay?.reason).toBe("M-20261126-001: ship in two lots");
    await area.postLark("/meeting minutes M-20261126-001 again", { name: "twice" });
    expect(area.lastLark()).toContain("already has its minutes");

    await area.postLark("/meeting action M-20261126-001 book weekend shifts @Li Na 2026-12-01", {
      name: "action",
      mentions: [{ key: "@_user_1", openId: "ou_li", name: "Li Na" }],
    });
    expect(area.lastLark()).toContain("book weekend shifts");
    const [task] = await area.database.db.select().from(tasks);
    expect(task).toMatchObject({ sourceType: "meeting", sourceId: "M-20261126-001", dueDate: "2026-12-01" });

    // Anyone reads it; only managers and admins schedule.
    await area.postLark("/meeting show M-20261126-001", { name: "show", sender: "ou_visitor" });
    expect(area.lastLark()).toContain("book weekend shifts");
    await area.postLark("/meeting new quality 2026-11-27 15:00 @ou_li", {
      name: "denied",
      sender: "ou_visitor",
    });
    expect(area.lastLark()).toMatch(/needs role/);
    expect(await area.database.db.select().from(meetings)).toHaveLength(1);
  });

  it("an order's alert nobody schedules a meeting for goes on as the ladder has it", async () => {
    const boss = await area.withRole("lark", "ou_boss", "manager");
    await area.subscribeLarkAlerts("oc_ops");
    // More than 5 days late: the review goes to the managers at once and repeats; it escalates no further.
    await confirmedOrder(area.database, ORDER, "2026-11-20", boss);
    // 2 days late: overdue, to the group; escalated to the managers after 1 working day unanswered.
    await confirmedOrder(area.database, "O-20261110-002", "2026-11-24", boss);
    await area.sweep(area.h.clock.now());
    // Friday 10:00, one working day on.
    await area.sweep(new Date("2026-11-27T02:00:00Z"));
    const rows = await area.database.db.select().from(alerts);
    const state = rows.map(({ entity, level, closedReason, ackedAt }) => ({
      entity,
      level,
      closedReason,
      ackedAt,
    }));
    expect(state).toEqual(
      expect.arrayContaining([
        { entity: ORDER, level: "review", closedReason: null, ackedAt: null },
        { entity: "O-20261110-002", level: "overdue", closedReason: "escalated", ackedAt: null },
        { entity: "O-20261110-002", level: "escalation", closedReason: null, ackedAt: null },
      ]),
    );
    expect(rows.filter((row) => row.entity === ORDER)).toHaveLength(1);
    expect(rows.find((row) => row.entity === ORDER)?.sentCount).toBeGreaterThan(1);
    // The escalation went to the managers, with the button to schedule the order's meeting.
    const escalated = (await area.h.outboxRows()).find(
      (row) => row.idempotencyKey === "alert:order:O-20261110-002:escalation:0:lark:ou_boss",
    );
    expect(JSON.stringify(escalated?.message)).toContain("Schedule meeting");
  });
});

describe("/会议 on DingTalk", () => {
  it("schedules the monthly review and records its minutes in Chinese", async () => {
    await area.withRole("dingtalk", "manager4511", "manager");
    expect(
      await sendDingTalkMessage(
        area.h,
        area.fakes,
        "/会议 新建 评审 2026-11-27 10:00 @manager4511",
        area.messageId("new"),
      ),
    ).toBe(200);
    expect(JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body)).toContain("月度评审");
    expect(
      await sendDingTalkMessage(
        area.h,
        area.fakes,
        "/会议 纪要 M-20261126-001 加强来料检验",
        area.messageId("min"),
      ),
    ).toBe(200);
    expect(JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body)).toContain("加强来料检验");
    expect(
      await sendDingTalkMessage(
        area.h,
        area.fakes,
        "/会议 纪要 M-20261126-001 再来 交期 2026-12-05",
        area.messageId("due"),
      ),
    ).toBe(200);
    expect(JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body)).toContain("已记录纪要");
    const [row] = await area.database.db.select().from(meetings);
    expect(row).toMatchObject({ kind: "review", decision: "加强来料检验", newDueDate: null });
  });
});

describe("/meeting on WeCom", () => {
  it("app: a topic meeting, the attendee told through message/send", async () => {
    await area.withRole("wecom", "zhangsan", "manager");
    expect(
      await sendWeComAppMessage(
        area.h,
        "/meeting new supplier quality 2026-11-27 15:00 @lisi",
        area.messageId("new"),
      ),
    ).toBe(200);
    const invited = area.fakes.wecom.delivered.filter((d) =>
      JSON.stringify(d.body).includes("Meeting invitation"),
    );
    expect(invited.map((d) => (d.body as { touser?: string }).touser)).toEqual(["lisi"]);
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain("supplier quality");
  });

  it("robot: the action of a meeting becomes a task", async () => {
    await area.withRole("wecom", "zhangsan", "manager");
    expect(
      await sendWeComBotMessage(
        area.h,
        area.fakes,
        "/meeting new review 2026-11-27 15:00 @zhangsan",
        area.messageId("new"),
      ),
    ).toBe(200);
    expect(
      await sendWeComBotMessage(
        area.h,
        area.fakes,
        "/meeting action M-20261126-001 update the checklist @zhangsan 2026-12-03",
        area.messageId("act"),
      ),
    ).toBe(200);
    const [task] = await area.database.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.sourceType, "meeting"), eq(tasks.sourceId, "M-20261126-001")));
    expect(task?.title).toBe("update the checklist");
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain("update the checklist");
  });
});
