// Production scheduling end to end through the signed webhooks of Lark, DingTalk and WeCom (app and robot): lines
// and their capacity, an order's priority and line, /schedule by priority then due date with late orders flagged,
// a capacity change, refusals that change nothing, and the 08:00 push to subscribed groups, one card per line, on
// a working day and the make-up Saturday 2026-10-10 but not on the holiday 2026-10-01.
import { and, eq, inArray, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, orders, outbox, productionLines } from "../../src/db/schema/index.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { confirmOrder, draftOrder } from "../../src/domain/orders/index.ts";
import { changeRosterPost } from "../../src/domain/roster/roster.ts";
import { productionScheduleJob } from "../../src/jobs/production-schedule.ts";
import { claimTick, runJob } from "../../src/jobs/run-job.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage, sendWeComBotMessage } from "../helpers/e2e-harness.ts";

const TIMEZONE = "Asia/Shanghai";
/** Wednesday 2026-09-30, the last working day before the National Day holiday (10-01 to 10-07). */
const TODAY = "2026-09-30";
const shanghai = (local: string) => new Date(`${local}+08:00`);
/** The number of the `seq`-th order taken on `day` (default TODAY). */
const number = (seq: number, day = TODAY) => `O-${day.replaceAll("-", "")}-00${seq}`;

const area = useAreaTest({
  prefix: "schedule",
  start: shanghai(`${TODAY}T10:00:00`),
  larkChat: "oc_plan",
  larkSender: "ou_planner",
  channels: ["lark", "dingtalk", "wecom", "wecomBot"],
});

/** Takes and confirms an order as `personId` (the order area's own operations); returns its number. */
async function confirmedOrder(personId: number, dueDate: string, quantity: number): Promise<string> {
  const actor = (): Actor & { chatId: string } => ({
    personId,
    name: "planner",
    roles: ["manager"],
    platform: "lark",
    platformMessageId: `om_fixture_${Math.random()}`,
    at: area.h.clock.now(),
    chatId: "oc_plan",
  });
  const input = { customer: "ACME", model: `X${quantity}-${dueDate}`, quantity, dueDate };
  const { order } = await draftOrder(area.database.db, input, actor(), TIMEZONE);
  await confirmOrder(area.database.db, { number: order.number, actor: actor(), timezone: TIMEZONE });
  return order.number;
}

/** Four orders on one line: 002 high, 003 due first, 001 next, 004 low and late; 005 on no line. */
async function fourOrdersAndOneUnassigned(personId: number): Promise<void> {
  await confirmedOrder(personId, "2026-10-09", 150);
  await confirmedOrder(personId, "2026-10-12", 100);
  await confirmedOrder(personId, "2026-10-08", 50);
  await confirmedOrder(personId, "2026-10-08", 10);
  await confirmedOrder(personId, "2026-10-08", 5);
}

const at = (text: string, part: string) => text.indexOf(part);
/** Lark's markdown carries user text's punctuation as character references ("&#58;"): read them back. */
const lastLark = () => area.lastLark().replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));

describe("/schedule on Lark", () => {
  it("fills a line by priority then due date, flags late orders, lists the unassigned, and follows a capacity change", async () => {
    const planner = await area.withRole("lark", "ou_planner", "manager");
    await area.postLark("/line set L1 100");
    expect(lastLark()).toContain("Line L1: 100 units per working day, new");
    await area.postLark("/产线 设置 L2 50");
    await fourOrdersAndOneUnassigned(planner);
    // Two lines: a confirmed order waits for a planner to pick one.
    expect((await area.database.db.select().from(orders)).map((o) => o.lineId)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    for (const seq of [1, 2, 3, 4]) await area.postLark(`/order line ${number(seq)} l1`);
    expect(lastLark()).toContain(`Order ${number(4)} is now on line L1`);
    await area.postLark(`/order priority ${number(2)} high`);
    expect(lastLark()).toContain(`Order ${number(2)} now has priority high`);
    await area.postLark(`/优先级 ${number(4)} 低`);

    await area.postLark("/schedule");
    const today = lastLark();
    expect(today).toContain(`${number(2)} · high · 100 today of 100 · due 2026-10-12 · finishes 2026-09-30`);
    expect(today).toContain("today 100/100 · 4 queued");
    expect(today).toContain(`${number(4)} · low · due 2026-10-08 · ⚠ late: finishes 2026-10-10`);
    expect(today).toContain(`${number(5)} · normal · 5 · due 2026-10-08`);
    expect(today).not.toContain(`${number(1)} · normal · 50 today`);

    // After the holiday week: the earlier due date first, then the number.
    await area.postLark("/schedule 2026-10-08");
    const after = lastLark();
    expect(at(after, `${number(3)} · normal · 50 today of 50`)).toBeGreaterThan(0);
    expect(at(after, `${number(1)} · normal · 50 today of 150`)).toBeGreaterThan(
      at(after, `${number(3)} · normal · 50 today of 50`),
    );
    await area.postLark("/schedule 2026-10-01");
    expect(lastLark()).toContain("2026-10-01 is not a working day: nothing is made.");

    // Half the capacity: the queue moves back and 003 and 001 are late too.
    await area.postLark("/line set l1 50");
    expect(lastLark()).toContain("Line l1: 50 units per working day (was 100)");
    await area.postLark("/schedule 2026-10-08");
    const halved = lastLark();
    expect(halved).toContain(`${number(2)} · high · 50 today of 100`);
    expect(halved).toContain(`${number(3)} · normal · due 2026-10-08 · ⚠ late: finishes 2026-10-09`);
    expect(halved).toContain(`${number(1)} · normal · due 2026-10-09 · ⚠ late: finishes 2026-10-13`);
    await area.postLark("/line list");
    expect(lastLark()).toContain("l1: 50/day");

    const audited = await area.database.db
      .select({ action: auditLog.action, entityId: auditLog.entityId })
      .from(auditLog)
      .where(inArray(auditLog.entityType, ["production_line", "order"]));
    expect(audited.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        "line.created",
        "line.capacity_changed",
        "order.prioritised",
        "order.line_assigned",
      ]),
    );
    expect(audited.filter((row) => row.action === "order.line_assigned")).toHaveLength(4);
  });

  it("refuses with the mistake and the usage, and changes nothing", async () => {
    const planner = await area.withRole("lark", "ou_planner", "manager");
    await area.withRole("lark", "ou_staff", "staff");
    await area.postLark("/line set L1 100");
    const only = await confirmedOrder(planner, "2026-10-09", 10);
    const state = async () => ({
      orders: await area.database.db.select().from(orders),
      lines: await area.database.db.select().from(productionLines),
    });
    const before = await state();

    await area.postLark(`/order priority ${only} high`, { sender: "ou_staff" });
    expect(lastLark()).toMatch(/you may not use \/order priority — needs role/);
    await area.postLark(`/order priority ${only} urgent`);
    expect(lastLark()).toMatch(/urgent/);
    expect(lastLark()).toContain("/order priority <order-no> <high|normal|low>");
    await area.postLark(`/order priority ${only} normal`);
    expect(lastLark()).toContain(`order ${only} already has priority normal; nothing changed`);
    await area.postLark(`/order line ${only} L9`);
    expect(lastLark()).toContain("no line L9 — set it up first with /line set <line> <units-per-day>");
    await area.postLark("/order priority O-20260930-099 high");
    expect(lastLark()).toContain("no order O-20260930-099");
    await area.postLark("/line set L1 0");
    expect(lastLark()).toContain("/line set <line> <units-per-day>");
    await area.postLark("/line set L1 many");
    expect(lastLark()).toMatch(/many/);
    await area.postLark("/schedule 2026-09-01");
    expect(lastLark()).toContain(
      "the schedule starts today (2026-09-30); it has no past days: 2026-09-01 — usage: /schedule [date]",
    );
    // The only line was there when it was confirmed: the order went to it by itself.
    expect(before.orders[0]?.lineId).toBe(before.lines[0]?.id);
    expect(await state()).toEqual(before);
  });
});

describe("/排产 on DingTalk", () => {
  it("sets a line, a priority and a line for an order, and answers the plan in Chinese", async () => {
    const manager = await area.withRole("dingtalk", "manager4511", "manager");
    await confirmedOrder(manager, "2026-10-08", 80);
    await confirmedOrder(manager, "2026-10-12", 60);
    const say = (text: string, name: string) =>
      sendDingTalkMessage(area.h, area.fakes, text, area.messageId(name)).then((status) => {
        expect(status).toBe(200);
        return JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body);
      });
    expect(await say("/产线 设置 一号线 100", "line")).toContain("产线 一号线 产能: 每个工作日 100 件, 新建");
    expect(await say(`/订单 产线 ${number(1)} 一号线`, "assign1")).toContain(
      `订单 ${number(1)} 已分配到产线 一号线`,
    );
    await say(`/订单 产线 ${number(2)} 一号线`, "assign2");
    expect(await say(`/优先级 ${number(2)} 高`, "priority")).toContain(`订单 ${number(2)} 的优先级已设为 高`);
    const plan = await say("/排产", "plan");
    expect(plan).toContain(`${number(2)} · 高 · 今日 60 / 共 60`);
    expect(plan).toContain(`${number(1)} · 普通 · 今日 40 / 共 80 · 交期 2026-10-08 · 预计 2026-10-08 完成`);
    expect(at(plan, number(2))).toBeLessThan(at(plan, number(1)));
  });
});

describe("/schedule on the WeCom app", () => {
  it("lists lines and plans a day, late orders flagged", async () => {
    const manager = await area.withRole("wecom", "zhangsan", "manager");
    expect(await sendWeComAppMessage(area.h, "/line set PRESS 10", area.messageId("line"))).toBe(200);
    await confirmedOrder(manager, "2026-10-08", 25);
    expect(
      await sendWeComAppMessage(area.h, `/order line ${number(1)} press`, area.messageId("assign")),
    ).toBe(200);
    expect(await sendWeComAppMessage(area.h, "/schedule", area.messageId("plan"))).toBe(200);
    const plan = JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body);
    expect(plan).toContain(
      `${number(1)} · normal · 10 today of 25 · due 2026-10-08 · ⚠ late: finishes 2026-10-09`,
    );
  });
});

describe("the 08:00 schedule push", () => {
  const WECOM_GROUP = "wrkSchedGroup01";

  async function robotSays(text: string, name: string) {
    expect(
      await sendWeComBotMessage(area.h, area.fakes, text, area.messageId(name), {
        userId: "laoban",
        chatId: WECOM_GROUP,
      }),
    ).toBe(200);
  }

  async function tick(local: string) {
    const now = shanghai(local);
    area.h.clock.set(now.toISOString());
    const ctx = area.h.services.jobContext(now);
    const id = await claimTick(ctx, productionScheduleJob, "instance-a");
    // A second instance on the same tick finds it claimed.
    expect(await claimTick(ctx, productionScheduleJob, "instance-b")).toBeUndefined();
    if (id === undefined) throw new Error(`tick ${local} not claimed`);
    const run = await runJob(ctx, productionScheduleJob, {
      id,
      trigger: "schedule",
      by: "instance-a",
      finishedAt: area.h.clock.now,
    });
    await area.h.settle();
    return run.summary;
  }

  const pushedKeys = async () =>
    (
      await area.database.db
        .select({ key: outbox.idempotencyKey })
        .from(outbox)
        .where(like(outbox.idempotencyKey, "schedule:%"))
    ).map((row) => row.key);

  it("goes to a Lark group and a WeCom robot group, one card per line with its people, on working days only", async () => {
    area.h.clock.set(shanghai("2026-09-29T17:00:00").toISOString());
    const planner = await area.withRole("lark", "ou_planner", "manager");
    await area.withRole("wecom", "laoban", "manager");
    await area.postLark("/subscribe schedule");
    expect(lastLark()).toContain("Subscribed to the schedule.");
    expect(lastLark()).toContain("every working day at 08:00 (Asia/Shanghai)");
    await robotSays(`/订阅 排产 ${area.fakes.wecom.webhookKey}`, "subscribe");
    await area.postLark("/line set L1 100");
    await area.postLark("/line set L2 40");
    await confirmedOrder(planner, "2026-10-08", 120);
    await confirmedOrder(planner, "2026-10-09", 30);
    await area.postLark(`/order line ${number(1, "2026-09-29")} L1`);
    await area.postLark(`/order line ${number(2, "2026-09-29")} L2`);
    const rosterActor = (day: string): Actor => ({
      personId: planner,
      name: "planner",
      roles: ["manager"],
      platform: "lark",
      platformMessageId: `om_roster_${day}`,
      at: area.h.clock.now(),
    });
    await changeRosterPost(area.database.db, rosterActor(TODAY), TODAY, "l1", { assigned: ["李四", "王五"] });

    expect(await tick(`${TODAY}T07:59:00`)).toBe(`no schedule owed for ${TODAY}`);
    expect(await pushedKeys()).toEqual([]);

    expect(await tick(`${TODAY}T08:00:00`)).toMatch(/^4 schedule cards for 2026-09-30: 4 sent/);
    const larkCards = area.fakes.lark.delivered
      .map((delivery) =>
        JSON.stringify(delivery.body).replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))),
      )
      .slice(-2);
    expect(larkCards[0]).toContain("排产 2026-09-30 · L1");
    expect(larkCards[0]).toContain("当班: 李四、王五");
    expect(larkCards[0]).toContain("O-20260929-001 · 普通 · 今日 100 / 共 120");
    expect(larkCards[1]).toContain("排产 2026-09-30 · L2");
    expect(larkCards[1]).not.toContain("当班");
    const robotCards = area.fakes.wecom.delivered.filter((d) => d.path.startsWith("/cgi-bin/webhook/send"));
    expect(robotCards).toHaveLength(2);
    expect(JSON.stringify(robotCards[1]?.body)).toContain("O-20260929-002 · 普通 · 今日 30 / 共 30");
    expect(await pushedKeys()).toEqual(
      expect.arrayContaining([
        "schedule:lark:oc_plan:2026-09-30",
        "schedule:lark:oc_plan:2026-09-30:2",
        `schedule:wecom:${WECOM_GROUP}:2026-09-30`,
        `schedule:wecom:${WECOM_GROUP}:2026-09-30:2`,
      ]),
    );

    // Later ticks the same day send nothing again.
    expect(await tick(`${TODAY}T09:30:00`)).toBe(`no schedule owed for ${TODAY}`);
    // The National Day holiday: no push.
    expect(await tick("2026-10-01T08:00:00")).toBe("2026-10-01 is not a working day");
    expect((await pushedKeys()).filter((key) => key.includes("2026-10-01"))).toEqual([]);
    // The make-up Saturday is a working day: the plan goes out.
    expect(await tick("2026-10-10T08:00:00")).toMatch(/^4 schedule cards for 2026-10-10: 4 sent/);
    expect(await pushedKeys()).toHaveLength(8);
    const saturday = await area.database.db
      .select({ message: outbox.message })
      .from(outbox)
      .where(and(eq(outbox.idempotencyKey, "schedule:lark:oc_plan:2026-10-10")));
    expect(JSON.stringify(saturday[0]?.message)).toContain("排产 2026-10-10 · L1");
  });
});
