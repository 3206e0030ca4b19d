// OPS_URGENT end to end through the fakes: an escalation and a safety finding also go out as Lark's in-app
// buzz on each manager's copy and as a DingTalk DING (WeCom has none), only inside working hours, once.
import { eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outbox, tasks } from "../../src/db/schema/index.ts";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { createHarness, DINGTALK, type Harness, sendDingTalkMessage } from "../helpers/e2e-harness.ts";

// Wednesday 2026-11-25 09:30 in Shanghai, a working day.
const START = new Date("2026-11-25T01:30:00Z");
/** Thursday 09:35: the task alert raised at START is a working day old and unacked. */
const NEXT_DAY = "2026-11-26T01:35:00Z";
const CHANNELS = ["lark", "dingtalk", "wecom"] as const;
const area = useAreaTest({
  prefix: "urgent",
  start: START,
  larkChat: "oc_floor",
  larkSender: "ou_inspector",
  channels: CHANNELS,
  env: { OPS_URGENT: "on" },
});

/** A manager on each platform (three people), and the owner of the task on WeCom. */
async function people(): Promise<number> {
  await area.withRole("lark", "ou_boss", "manager");
  await area.withRole("dingtalk", "boss_ding", "manager");
  await area.withRole("wecom", "wang", "manager");
  return area.withRole("wecom", "zhangsan", "staff");
}

/** A task overdue since yesterday, and the sweep at START that raises and sends its alert. */
async function overdueTask(h: Harness): Promise<void> {
  const owner = await people();
  const now = h.clock.now();
  await area.database.db.insert(tasks).values({
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
  await sweepAt(h, START.toISOString());
}

async function sweepAt(h: Harness, iso: string): Promise<void> {
  h.clock.set(iso);
  await h.services.runJobNow("overdue-sweep", h.clock.now(), "test");
}

const larkUrgents = () => area.fakes.lark.requests.filter((request) => request.path.includes("/urgent_app"));
const dings = () =>
  area.fakes.dingtalk.requests.filter((request) => request.path === "/v1.0/robot/ding/send");

/** The message id Lark gave the notice stored under `key`. */
async function sentMessageId(key: string): Promise<string | undefined> {
  const [row] = await area.database.db.select().from(outbox).where(eq(outbox.idempotencyKey, key));
  return (row?.result as { messageId?: string } | null)?.messageId;
}

const urgentRows = () =>
  area.database.db.select().from(outbox).where(like(outbox.idempotencyKey, "urgent:%"));

describe("an escalation with OPS_URGENT=on", () => {
  it("buzzes the manager on Lark on their copy and DINGs the DingTalk manager, once; nothing for WeCom", async () => {
    await overdueTask(area.h);
    expect(larkUrgents()).toHaveLength(0);

    await sweepAt(area.h, NEXT_DAY);
    const noticeId = await sentMessageId("alert:task:T-20261120-001:escalation:0:lark:ou_boss");
    expect(noticeId).toMatch(/^om_/);
    const [buzz, ...moreBuzz] = larkUrgents();
    expect(moreBuzz).toHaveLength(0);
    expect(buzz?.method).toBe("PATCH");
    expect(buzz?.path).toBe(`/open-apis/im/v1/messages/${noticeId}/urgent_app?user_id_type=open_id`);
    expect(buzz?.body).toEqual({ user_id_list: ["ou_boss"] });
    expect(buzz?.status).toBe(200);
    const [ding, ...moreDings] = dings();
    expect(moreDings).toHaveLength(0);
    expect(ding?.body).toMatchObject({
      robotCode: DINGTALK.robotCode,
      remindType: 1,
      receiverUserIdList: ["boss_ding"],
    });
    expect(String((ding?.body as { content?: unknown } | undefined)?.content)).toContain("A-20261126-001");
    expect(ding?.status).toBe(200);
    const rows = await urgentRows();
    expect(rows.map((row) => [row.idempotencyKey, row.status]).sort()).toEqual([
      ["urgent:task:T-20261120-001:escalation:dingtalk", "sent"],
      ["urgent:task:T-20261120-001:escalation:lark:ou_boss", "sent"],
    ]);

    // The escalation's repeat four working hours later urges nobody again.
    await sweepAt(area.h, "2026-11-26T05:40:00Z");
    expect(
      (await area.h.outboxRows()).some((row) => row.idempotencyKey.endsWith(":escalation:1:lark:ou_boss")),
    ).toBe(true);
    expect(larkUrgents()).toHaveLength(1);
    expect(dings()).toHaveLength(1);
  });

  it("waits for working hours: escalated at 21:00, notice and urgent go out at 08:00 the next working day", async () => {
    await overdueTask(area.h);
    // Thursday 21:00: the sweep escalates, but the managers are told only from Friday 08:00.
    await sweepAt(area.h, "2026-11-26T13:00:00Z");
    expect(larkUrgents()).toHaveLength(0);
    expect(dings()).toHaveLength(0);
    await sweepAt(area.h, "2026-11-27T00:00:00Z");
    expect(larkUrgents()).toHaveLength(1);
    expect(dings()).toHaveLength(1);
  });
});

describe("an escalation with OPS_URGENT off (the default)", () => {
  it("sends the escalation notices and nothing urgent", async () => {
    const off = createHarness({
      database: area.database,
      fakes: area.fakes,
      channels: CHANNELS,
      start: START,
    });
    await overdueTask(off);
    await sweepAt(off, NEXT_DAY);
    expect(await sentMessageId("alert:task:T-20261120-001:escalation:0:lark:ou_boss")).toMatch(/^om_/);
    expect(larkUrgents()).toHaveLength(0);
    expect(dings()).toHaveLength(0);
    expect(await urgentRows()).toHaveLength(0);
  });
});

describe("a safety finding with OPS_URGENT=on", () => {
  it("from Lark in working hours: the finding reaches the managers, urged once on each platform that can", async () => {
    await people();
    await area.withRole("lark", "ou_inspector", "qa");
    // Warehouse: temperature, humidity, fire extinguisher (a safety item: failed), exits, stacking.
    await area.postLark("/inspect warehouse 22 50 fail pass pass");
    const number = "I-20261125-001";
    const noticeId = await sentMessageId(`finding:${number}:lark:ou_boss`);
    expect(noticeId).toMatch(/^om_/);
    expect(larkUrgents().map((request) => [request.path, request.body])).toEqual([
      [
        `/open-apis/im/v1/messages/${noticeId}/urgent_app?user_id_type=open_id`,
        { user_id_list: ["ou_boss"] },
      ],
    ]);
    expect(
      dings().map((request) => (request.body as { receiverUserIdList?: unknown }).receiverUserIdList),
    ).toEqual([["boss_ding"]]);
    const wecomRow = (await area.h.outboxRows()).find(
      (row) => row.idempotencyKey === `finding:${number}:wecom:wang`,
    );
    expect(wecomRow?.status).toBe("sent");
  });

  it("from DingTalk at 21:00: the finding goes at once, the urgent notices when the working day starts", async () => {
    await people();
    await area.withRole("dingtalk", "inspector_ding", "qa");
    area.h.clock.set("2026-11-25T13:00:00Z");
    const status = await sendDingTalkMessage(
      area.h,
      area.fakes,
      "/inspect warehouse 22 50 pass fail pass",
      "msg_night",
      {
        senderStaffId: "inspector_ding",
      },
    );
    expect(status).toBe(200);
    expect(await sentMessageId("finding:I-20261125-001:lark:ou_boss")).toMatch(/^om_/);
    expect(larkUrgents()).toHaveLength(0);
    expect(dings()).toHaveLength(0);

    area.h.clock.set("2026-11-26T00:00:00Z");
    await area.h.services.runJobNow("outbox-drain", area.h.clock.now(), "test");
    expect(larkUrgents()).toHaveLength(1);
    expect(dings()).toHaveLength(1);
  });

  it("on a make-up Saturday (2026-10-10) at 10:00, a working day: urged at once", async () => {
    await people();
    await area.withRole("lark", "ou_inspector", "qa");
    area.h.clock.set("2026-10-10T02:00:00Z");
    await area.postLark("/inspect warehouse 22 50 pass pass fail");
    expect(larkUrgents()).toHaveLength(1);
    expect(dings()).toHaveLength(1);
  });

  it("on a National Day holiday (2026-10-03) at 10:00: urged only when the next working window opens", async () => {
    await people();
    await area.withRole("lark", "ou_inspector", "qa");
    const at = new Date("2026-10-03T02:00:00Z");
    area.h.clock.set(at.toISOString());
    await area.postLark("/inspect warehouse 22 50 fail pass pass");
    expect(await sentMessageId("finding:I-20261003-001:lark:ou_boss")).toMatch(/^om_/);
    expect(larkUrgents()).toHaveLength(0);

    const opens = createWorkingCalendar({ timezone: "Asia/Shanghai" }).addWorkingHours(at, 0).due;
    expect(opens.getTime()).toBeGreaterThan(at.getTime() + 24 * 3_600_000);
    area.h.clock.set(new Date(opens.getTime() - 60_000).toISOString());
    await area.h.services.runJobNow("outbox-drain", area.h.clock.now(), "test");
    expect(larkUrgents()).toHaveLength(0);
    expect(dings()).toHaveLength(0);
    area.h.clock.set(opens.toISOString());
    await area.h.services.runJobNow("outbox-drain", area.h.clock.now(), "test");
    expect(larkUrgents()).toHaveLength(1);
    expect(dings()).toHaveLength(1);
  });

  it("a finding on an item not flagged safety urges nobody and stays with the groups and the submitter", async () => {
    await people();
    await area.withRole("lark", "ou_inspector", "qa");
    await area.postLark("/inspect warehouse 30 50 pass pass pass");
    expect(await sentMessageId("finding:I-20261125-001:lark:oc_floor")).toMatch(/^om_/);
    expect(await sentMessageId("finding:I-20261125-001:lark:ou_boss")).toBeUndefined();
    expect(larkUrgents()).toHaveLength(0);
    expect(dings()).toHaveLength(0);
  });
});
