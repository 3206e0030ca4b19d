// The monthly review pack end to end: /subscribe review through the signed webhooks of Lark, DingTalk and WeCom (app
// and robot), the monthly-review job on the first working day after National Day (2026-10-08) and on a normal month,
// once per group and month, every section of the previous month, and Record action with the meeting to send.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  alerts,
  calendarOverrides,
  complaints,
  inspections,
  orders,
  targets,
  tasks,
} from "../../src/db/schema/index.ts";
import { monthlyReviewJob } from "../../src/jobs/monthly-review.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage, sendWeComBotMessage } from "../helpers/e2e-harness.ts";

/** Local wall-clock time in Asia/Shanghai as an instant. */
const local = (day: string, time: string): Date => new Date(`${day}T${time}:00+08:00`);

// Wednesday 2026-09-30 10:00, the last working day before National Day.
const START = local("2026-09-30", "10:00");
const area = useAreaTest({
  prefix: "review",
  start: START,
  larkChat: "oc_review",
  larkSender: "ou_boss",
  channels: ["lark", "dingtalk", "wecom", "wecomBot"],
});

const run = (at: Date) => monthlyReviewJob.run(area.h.services.jobContext(at));

const packKeys = async () =>
  (await area.h.outboxRows()).map((row) => row.idempotencyKey).filter((key) => key.startsWith("review:"));

/** September 2026 as the floor lived it: a late order, a missed complaint clock, a finding, a late task, a shortage. */
async function september(by: number): Promise<void> {
  const { db } = area.database;
  const at = local("2026-09-01", "09:00");
  const order = (number: string, due: string, completedAt: Date | null) => ({
    number,
    customer: "比亚迪",
    model: "X1",
    quantity: 10,
    dueDate: due,
    originalDueDate: due,
    status: completedAt ? "completed" : "confirmed",
    platform: "lark",
    chatId: "oc_floor",
    createdBy: by,
    createdAt: at,
    confirmedBy: by,
    confirmedAt: at,
    completedBy: completedAt ? by : null,
    completedAt,
  });
  await db
    .insert(orders)
    .values([
      order("O-20260901-001", "2026-09-10", local("2026-09-15", "16:00")),
      order("O-20260901-002", "2026-09-11", local("2026-09-11", "16:00")),
      order("O-20260901-003", "2026-09-20", null),
    ]);
  await db.insert(complaints).values({
    number: "C-20260914-001",
    customer: "华为",
    description: "wet boxes",
    status: "resolved",
    receivedAt: local("2026-09-14", "10:00"),
    responseDueAt: local("2026-09-15", "10:00"),
    resolutionDueAt: local("2026-09-17", "10:00"),
    respondedAt: local("2026-09-16", "09:00"),
    respondedBy: by,
    resolvedAt: local("2026-09-16", "17:00"),
    resolvedBy: by,
    platform: "lark",
    chatId: "oc_floor",
    createdBy: by,
  });
  const [inspection] = await db
    .insert(inspections)
    .values({
      number: "I-20260914-001",
      areaId: sql`(select id from inspection_areas where code = 'warehouse')`,
      submittedBy: by,
      submittedAt: local("2026-09-14", "09:00"),
      findingCount: 1,
      platform: "lark",
      chatId: "oc_floor",
    })
    .returning({ id: inspections.id });
  await db.execute(
    sql`insert into findings (inspection_id, item_id, item_code, value, range_min, range_max, unit, safety, created_at)
        select ${inspection?.id}, id, code, '31', min, max, unit, false, ${local("2026-09-14", "09:00").toISOString()}::timestamptz
        from inspection_items where code = 'temperature' limit 1`,
  );
  await db.insert(tasks).values({
    number: "T-20260901-001",
    title: "fix the pump",
    ownerId: by,
    dueDate: "2026-09-18",
    status: "open",
    sourceType: "command",
    sourceId: "om_x",
    createdAt: at,
    createdBy: by,
  });
  await db.insert(alerts).values({
    kind: "stock",
    entity: "PVC-01#1",
    level: "low",
    facts: {
      type: "stock",
      sku: "PVC-01",
      name: "PVC pellets",
      unit: "kg",
      onHand: "1",
      safetyStock: "30",
      toOrder: "29",
      dailyUse: "10",
      dailyUseSource: "declared",
    },
    raisedAt: local("2026-09-21", "11:00"),
  });
  await db.insert(targets).values({
    metric: "on_time_completion",
    period: "month",
    department: "",
    value: 0.9,
    ownerName: null,
    setBy: by,
    setAt: at,
  });
}

describe("the review pack on Lark", () => {
  it("goes out on the first working day after National Day at 09:30, once, with every section of September", async () => {
    const boss = await area.withRole("lark", "ou_boss", "manager");
    await area.postLark("/subscribe review", { name: "sub" });
    expect(area.lastLark()).toContain("the previous month's pack on each month's first working day at 09:30");
    await area.postLark("/subscribe review 09:00", { name: "subtime" });
    expect(area.lastLark()).toContain("it takes no time");
    await september(boss);

    // 1 October is a holiday, the 8th the first working day: nothing before it, nothing before 09:30.
    expect(await run(local("2026-10-01", "09:30"))).toBe("no review pack due");
    expect(await run(local("2026-10-07", "10:00"))).toBe("no review pack due");
    expect(await run(local("2026-10-08", "09:25"))).toBe("no review pack due");
    expect(await run(local("2026-10-08", "09:30"))).toMatch(/^1 review packs for 2026-09: 1 sent/);
    expect(await run(local("2026-10-08", "09:35"))).toBe("no review pack owed for 2026-09");
    expect(await run(local("2026-10-09", "09:30"))).toBe("no review pack due");
    expect(await packKeys()).toEqual(["review:lark:oc_review:2026-09"]);

    const pack = JSON.stringify(
      area.fakes.lark.delivered.find(
        (d) => (d.body as { uuid?: string }).uuid === "review:lark:oc_review:2026-09",
      )?.body,
    );
    expect(pack).toContain("2026-09 月度评审材料");
    expect(pack).toContain("按期完成率: 33.3% / 目标 90% ⚠ 未达标");
    expect(pack).toContain("O-20260901-003");
    expect(pack).toContain("已逾期 18 天");
    expect(pack).toContain("晚 5 天完成");
    expect(pack).not.toContain("O-20260901-002");
    expect(pack).toContain("C-20260914-001");
    expect(pack).toContain("首次回复");
    expect(pack).toContain("I-20260914-001");
    expect(pack).toContain("T-20260901-001");
    expect(pack).toContain("PVC-01");
    expect(pack).toContain("记录行动");

    // Record action: the pack again, with the review meeting to send, prefilled for the next working day: clicked
    // on Friday the 9th, that is the make-up Saturday.
    area.h.clock.set("2026-10-09T02:00:00Z");
    const answer = await area.clickLark({ action: "review.record_action", id: "2026-09", lang: "en" });
    expect(answer).toContain("/meeting new review 2026-10-10 10:00");
    expect(answer).toContain("Monthly review pack 2026-09");
  });
});

describe("the review pack on DingTalk", () => {
  it("a normal month: the 1st of December, a Tuesday, for November", async () => {
    await area.withRole("dingtalk", "manager4511", "manager");
    expect(await sendDingTalkMessage(area.h, area.fakes, "/订阅 评审", area.messageId("sub"))).toBe(200);
    expect(JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body)).toContain("每月第一个工作日 09:30");
    expect(await run(local("2026-11-30", "09:30"))).toBe("no review pack due");
    expect(await run(local("2026-12-01", "09:30"))).toMatch(/^1 review packs for 2026-11/);
    const pack = JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body);
    expect(pack).toContain("2026-11 月度评审材料");
    expect(pack).toContain("逾期订单");
  });

  it("a Saturday made a workday is the month's first working day; without it, the Monday", async () => {
    await area.withRole("dingtalk", "manager4511", "manager");
    expect(await sendDingTalkMessage(area.h, area.fakes, "/订阅 评审", area.messageId("sub"))).toBe(200);
    expect(await run(local("2026-08-01", "09:30"))).toBe("no review pack due");
    await area.database.db
      .insert(calendarOverrides)
      .values({ day: "2026-08-01", kind: "work", createdAt: START });
    expect(await run(local("2026-08-01", "09:30"))).toMatch(/^1 review packs for 2026-07/);
    expect(await run(local("2026-08-03", "09:30"))).toBe("no review pack due");
  });
});

describe("the review pack on WeCom", () => {
  it("app: a direct chat subscribes; the first working day of November is Monday the 2nd", async () => {
    await area.withRole("wecom", "zhangsan", "manager");
    expect(await sendWeComAppMessage(area.h, "/subscribe review", area.messageId("sub"))).toBe(200);
    expect(await run(local("2026-11-02", "09:30"))).toMatch(/^1 review packs for 2026-10/);
    const sent = area.fakes.wecom.delivered.at(-1);
    expect(sent?.path).toMatch(/^\/cgi-bin\/message\/send/);
    expect(JSON.stringify(sent?.body)).toContain("2026-10 月度评审材料");
  });

  it("robot: a group subscribes with its robot's webhook key and gets the pack there", async () => {
    await area.withRole("wecom", "zhangsan", "manager");
    const key = area.fakes.wecom.webhookKey;
    expect(
      await sendWeComBotMessage(area.h, area.fakes, `/subscribe review ${key}`, area.messageId("sub")),
    ).toBe(200);
    expect(await run(local("2026-11-02", "10:00"))).toMatch(/^1 review packs for 2026-10: 1 sent/);
    const sent = area.fakes.wecom.delivered.at(-1);
    expect(sent?.path).toMatch(/^\/cgi-bin\/webhook\/send\?key=/);
    expect(JSON.stringify(sent?.body)).toContain("2026-10 月度评审材料");
  });
});
