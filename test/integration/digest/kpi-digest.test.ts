// The kpi-digest job against a real database and the fake platforms: content, working days, exactly once.
import { asc, like } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Card } from "../../../src/chat/card.ts";
import type { PlatformId } from "../../../src/chat/events.ts";
import { jobRuns, outbox as outboxTable } from "../../../src/db/schema/index.ts";
import { setCalendarOverride } from "../../../src/domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.ts";
import { computeDigest } from "../../../src/domain/digest/content.ts";
import { computeKpis } from "../../../src/domain/kpi/compute.ts";
import { monthToDateWindow, yesterdayWindow } from "../../../src/domain/kpi/window.ts";
import { subscribe } from "../../../src/domain/subscriptions/subscriptions.ts";
import { parseWeComWebhook } from "../../../src/domain/subscriptions/wecom-webhook.ts";
import type { JobContext } from "../../../src/jobs/job.ts";
import { kpiDigestJob } from "../../../src/jobs/kpi-digest.ts";
import { findJob } from "../../../src/jobs/registry.ts";
import { claimTick, runJob } from "../../../src/jobs/run-job.ts";
import { silentLogger } from "../../../src/log.ts";
import { createOutbox } from "../../../src/outbox/outbox.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import { createHarness, type Fakes, startFakes } from "../../helpers/e2e-harness.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import { insertPerson, setAreaActive, shanghai, TIMEZONE } from "../kpi/kpi-fixture.ts";
import { DIGEST_AT, insertDigestScenario } from "./digest-scenario.ts";

let database: TestDatabase;
let fakes: Fakes;
/** Chat ids differ per test: the fake Lark, like Lark, drops a second send with the same uuid (= key) for 1 h. */
let run = 0;

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});
beforeEach(async () => {
  await truncateAll(database);
  await setAreaActive(database.db, "office", true);
  fakes.reset();
  run++;
});

/**
 * One bot process: the real services over the shared database and fakes, with an outbox whose pacing moves
 * this process's manual clock instead of sleeping.
 */
function startInstance(name: string, start = DIGEST_AT) {
  const harness = createHarness({ database, fakes, channels: ["lark", "dingtalk", "wecom"], start });
  const { clock } = harness;
  const outbox = createOutbox({
    database,
    adapters: harness.services.adapters,
    now: clock.now,
    log: silentLogger,
    random: () => 0.5,
    sleep: async (ms) => clock.advance(ms),
  });
  const context = (tick: Date): JobContext => ({ ...harness.services.jobContext(tick), outbox });
  return {
    clock,
    outbox,
    /** What node-cron or a Cron Trigger does for one tick: claim it, run it if this instance won. */
    async scheduledTick(local: string) {
      const tick = shanghai(local);
      clock.set(tick.toISOString());
      const ctx = context(tick);
      const id = await claimTick(ctx, kpiDigestJob, name);
      if (id === undefined) return undefined;
      return runJob(ctx, kpiDigestJob, { id, trigger: "schedule", by: name, finishedAt: clock.now });
    },
    /** `npm run job -- kpi-digest --at <local>`: not claimed, so it may repeat a tick on purpose. */
    async manualRun(local: string) {
      const tick = shanghai(local);
      clock.set(tick.toISOString());
      return runJob(context(tick), kpiDigestJob, { trigger: "manual", by: "cli", finishedAt: clock.now });
    },
  };
}

type Subscribed = { platform: PlatformId; chatId: string; sendAt: string };

const larkGroup = (sendAt = "09:00"): Subscribed => ({
  platform: "lark",
  chatId: `oc_managers_${run}`,
  sendAt,
});
const dingtalkGroup = (): Subscribed => ({ platform: "dingtalk", chatId: `cid_ops_${run}`, sendAt: "09:00" });
const wecomGroup = (): Subscribed => ({ platform: "wecom", chatId: `wr_ops_${run}`, sendAt: "09:00" });

/** The outbox key the issue names: `digest:<platform>:<chat>:<local date>`. */
const keyOf = ({ platform, chatId }: Subscribed, date: string) => `digest:${platform}:${chatId}:${date}`;

async function subscribeGroups(by: number, groups: Subscribed[]): Promise<void> {
  for (const { platform, chatId, sendAt } of groups) {
    await subscribe(database.db, {
      platform,
      chat: { id: chatId, kind: "group" },
      topic: "digest",
      sendAt,
      language: "zh",
      by,
      now: shanghai("2026-09-01T10:00"),
      ...(platform === "wecom" && {
        webhookUrl: parseWeComWebhook(fakes.wecom.webhookKey, fakes.wecom.url),
      }),
    });
  }
}

/** The digest rows of the outbox, by key. */
async function digestRows() {
  return database.db
    .select()
    .from(outboxTable)
    .where(like(outboxTable.idempotencyKey, "digest:%"))
    .orderBy(asc(outboxTable.idempotencyKey));
}

/** The neutral card a digest row carries. */
function cardOf(row: { message: unknown } | undefined): Card {
  if (!row) throw new Error("no digest row");
  return (row.message as { card: Card }).card;
}

const digestKeys = async () => (await digestRows()).map((row) => row.idempotencyKey);

const deliveredCount = () =>
  fakes.lark.delivered.length + fakes.dingtalk.delivered.length + fakes.wecom.delivered.length;

/** Every line of the digest, worked out by hand from digest-scenario.ts (see the comments there). */
const EXPECTED_MARKDOWN = [
  "昨日 2026-11-25 (▲▼ 较前日 2026-11-24) ｜ 本月 2026-11-01 至 2026-11-26",
  "",
  "**订单**",
  // Yesterday O-A, O-B, O-G (O-E is a draft); the day before O-C, O-F; the month also O-D and O-H.
  "接单: 3 ▲1 ｜ 本月 7",
  // O-A yesterday, O-F the day before.
  "完成: 1 ±0 ｜ 本月 2",
  // Due yesterday O-A (on time), O-B (not); the day before O-F (on time); the month also O-D (late), O-H (due today).
  "按期完成率: 50% (1/2) ▼50pt ｜ 本月 40% (2/5, 1 未到期)",
  // O-B (due 11-25) and O-D (due 11-18).
  "当前逾期: 2",
  // O-D: 8 days past its original due date.
  "延期超过 5 天: 1 ｜ 本月 1",
  "",
  "**投诉**",
  // Yesterday C-A, C-B; the day before C-C; the month also C-D, C-E, C-F and C-H (this morning).
  "新增: 2 ▲1 ｜ 本月 7",
  // Due yesterday C-C (answered late); the day before C-D (in time); the month C-A, C-D, C-E, C-F in time,
  // C-C late, C-B due at 15:00 today.
  "首次响应及时率: 0% (0/1) ▼100pt ｜ 本月 66.7% (4/6, 1 未到期)",
  // Due yesterday C-E (in time); the day before C-F (late); the month C-D, C-E in time, C-F late.
  "解决及时率: 100% (1/1) ▲100pt ｜ 本月 66.7% (2/3)",
  // Scores yesterday 5 (C-D) and 3 (C-E); the day before 4 (C-F).
  "客户满意度 (目标 85%): 50% (1/2) ▼50pt ⚠ 低于目标 ｜ 本月 66.7% (2/3) ⚠ 低于目标",
  "",
  "**巡检**",
  // Three active areas; yesterday warehouse and production, the day before warehouse; the month has 18
  // working days before today (54 area-days; at 09:00 today's 10:00 cut-off has not passed) and those three.
  "已检/应检: 2/3 (66.7%) ▲33.3pt ｜ 本月 3/54 (5.6%)",
  "发现问题: 1 ▲1 ｜ 本月 1",
  "",
  // No lot was decided or shipped: the sampling metrics have nothing to count.
  "**质量抽检**",
  "抽检覆盖率: — ｜ 本月 —",
  "批次合格率: — ｜ 本月 —",
  "",
  "**销售**",
  "咨询: 0 ±0 ｜ 本月 0",
  "咨询转化率: — ｜ 本月 —",
  "客户反馈: 0 ±0 ｜ 本月 0",
  "上周完成订单回访率: — ｜ 本月 —",
  "",
  "**物料盘点**",
  "盘点误差率: — ｜ 本月 —",
  "",
  // Nothing was logged with /反馈 on Wednesday, the working day before the digest's Thursday.
  "⚠ 上个工作日 2026-11-25 没有记录客户反馈 (/反馈)",
  "",
  "**最紧急事项**",
  "1. 订单 O-D 华为 · 延误 8 天 ⚠ 需召开专项评审 · @王伟",
  "2. 订单 O-B 华为 · 延误 1 天 · @王伟",
  "3. 投诉 C-B 小米 · 首次响应还剩 6 小时 (15:00 截止) · @李娜",
  "4. 投诉 C-C 小米 · 解决还剩 23 小时 (2026-11-27 08:00 截止) · @王伟",
  "5. 投诉 C-H 小米 · 首次响应还剩 23 小时 (2026-11-27 08:30 截止) · @王伟",
].join("\n");

describe("a day in the life", () => {
  it("sends the hand-computed digest at 09:00 the next working day to Lark, DingTalk and WeCom, once each", async () => {
    const wang = await insertDigestScenario(database.db);
    await subscribeGroups(wang, [larkGroup(), dingtalkGroup(), wecomGroup()]);
    const bot = startInstance("a");

    expect((await bot.scheduledTick("2026-11-26T08:59"))?.summary).toBe("no digest owed for 2026-11-26");
    expect(await digestRows()).toEqual([]);

    const outcome = await bot.scheduledTick("2026-11-26T09:00");
    expect(outcome).toEqual({
      ok: true,
      summary: "3 digests for 2026-11-26: 3 sent, 0 to retry, 0 failed, 0 deferred",
    });
    const rows = await digestRows();
    expect(rows.map((row) => [row.idempotencyKey, row.status])).toEqual([
      [keyOf(dingtalkGroup(), "2026-11-26"), "sent"],
      [keyOf(larkGroup(), "2026-11-26"), "sent"],
      [keyOf(wecomGroup(), "2026-11-26"), "sent"],
    ]);
    const card = cardOf(rows[0]);
    expect(card.title).toBe("每日运营日报 · 2026-11-26");
    expect(card.tone).toBe("danger");
    expect(sourceOf(card.markdown)).toBe(EXPECTED_MARKDOWN);
    expect(card.note).toBe("数据截至 09:00 (Asia/Shanghai)");
    for (const row of rows) expect(row.message).toEqual(rows[0]?.message);

    // Each platform got it natively: a Lark card, DingTalk markdown (no card template), WeCom webhook markdown.
    const keyLine = "首次响应及时率: 0% (0/1) ▼100pt ｜ 本月 66.7% (4/6, 1 未到期)";
    expect(fakes.lark.delivered).toHaveLength(1);
    const lark = fakes.lark.delivered[0]?.body as { receive_id: string; msg_type: string; content: string };
    expect(lark).toMatchObject({ receive_id: `oc_managers_${run}`, msg_type: "interactive" });
    expect(lark.content).toContain(JSON.stringify(keyLine).slice(1, -1));
    expect(fakes.dingtalk.delivered).toHaveLength(1);
    expect(fakes.dingtalk.delivered[0]?.body).toMatchObject({ openConversationId: `cid_ops_${run}` });
    expect(JSON.stringify(fakes.dingtalk.delivered[0]?.body)).toContain(keyLine);
    expect(fakes.wecom.delivered).toHaveLength(1);
    const [wecom] = fakes.wecom.delivered;
    if (!wecom) throw new Error("nothing reached the WeCom webhook");
    expect(wecom.path).toBe(`/cgi-bin/webhook/send?key=${fakes.wecom.webhookKey}`);
    const markdown = (wecom.body as { msgtype: string; markdown: { content: string } }).markdown.content;
    expect(markdown).toContain("5. 投诉 C-H 小米");
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(4096);
  });

  it("counts with the same computeKpis as /kpi: the hand-computed numbers of yesterday and month to date", async () => {
    await insertDigestScenario(database.db);
    const calendar = createWorkingCalendar({ timezone: TIMEZONE });
    const options = { timezone: TIMEZONE, now: DIGEST_AT, calendar };
    const digest = await computeDigest(database.db, options);
    const yesterday = await computeKpis(database.db, {
      ...options,
      window: yesterdayWindow(DIGEST_AT, TIMEZONE),
    });
    const monthToDate = await computeKpis(database.db, {
      ...options,
      window: monthToDateWindow(DIGEST_AT, TIMEZONE),
    });
    expect(digest.yesterday).toEqual(yesterday);
    expect(digest.monthToDate).toEqual(monthToDate);
    expect(yesterday.orders).toEqual({
      received: 3,
      completed: 1,
      onTime: { numerator: 1, denominator: 2, rate: 0.5, pending: 0 },
      overdue: 2,
      delayedOverFiveDays: 1,
    });
    expect(monthToDate.complaints.firstResponseOnTime).toEqual({
      numerator: 4,
      denominator: 6,
      rate: 4 / 6,
      pending: 1,
    });
    expect(monthToDate.inspections.doneVsDue).toEqual({ numerator: 3, denominator: 54, rate: 3 / 54 });
    expect(digest.dayBefore.window).toEqual({ from: "2026-11-24", to: "2026-11-24" });
    expect(digest.urgent.map((item) => item.number)).toEqual(["O-D", "O-B", "C-B", "C-C", "C-H"]);
  });
});

describe("working days only", () => {
  it("sends nothing in the National Day week, and on the make-up Saturday 2026-10-10 it does", async () => {
    const wang = await insertPerson(database.db);
    await subscribeGroups(wang, [larkGroup()]);
    const bot = startInstance("a", shanghai("2026-09-30T08:00"));
    const days = ["09-30", "10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07"];
    for (const day of [...days, "10-08", "10-09", "10-10", "10-11"]) {
      await bot.scheduledTick(`2026-${day}T09:00`);
      await bot.scheduledTick(`2026-${day}T23:59`);
    }
    expect(await digestKeys()).toEqual([
      keyOf(larkGroup(), "2026-09-30"),
      keyOf(larkGroup(), "2026-10-08"),
      keyOf(larkGroup(), "2026-10-09"),
      keyOf(larkGroup(), "2026-10-10"),
    ]);
    expect(fakes.lark.delivered).toHaveLength(4);
    const holiday = await bot.scheduledTick("2026-10-05T10:00");
    expect(holiday?.summary).toBe("2026-10-05 is not a working day");
  });

  it("in a provisional year: no digest on the law's holidays, and the ones sent are marked provisional", async () => {
    const wang = await insertPerson(database.db);
    await subscribeGroups(wang, [larkGroup()]);
    const bot = startInstance("a", shanghai("2026-12-31T08:00"));
    for (const day of [
      "2026-12-31",
      "2027-01-01",
      "2027-01-04",
      "2027-02-04",
      "2027-02-05",
      "2027-02-10",
      "2027-02-11",
    ])
      await bot.scheduledTick(`${day}T09:00`);
    expect(await digestKeys()).toEqual([
      keyOf(larkGroup(), "2026-12-31"),
      keyOf(larkGroup(), "2027-01-04"),
      keyOf(larkGroup(), "2027-02-04"),
      keyOf(larkGroup(), "2027-02-11"),
    ]);
    const titles = (await digestRows()).map((row) => cardOf(row).title);
    expect(titles).toEqual([
      "每日运营日报 · 2026-12-31",
      "每日运营日报 · 2027-01-04（暂定）",
      "每日运营日报 · 2027-02-04（暂定）",
      "每日运营日报 · 2027-02-11（暂定）",
    ]);
  });

  it("follows the company's calendar overrides: a day off sends nothing, an extra working day does", async () => {
    const wang = await insertPerson(database.db);
    await subscribeGroups(wang, [larkGroup()]);
    const at = shanghai("2026-11-01T08:00");
    await setCalendarOverride(database.db, { day: "2026-11-27", kind: "off", by: wang, now: at });
    await setCalendarOverride(database.db, { day: "2026-11-29", kind: "work", by: wang, now: at });
    const bot = startInstance("a", at);
    for (const day of ["26", "27", "28", "29", "30"]) await bot.scheduledTick(`2026-11-${day}T09:00`);
    expect(await digestKeys()).toEqual([
      keyOf(larkGroup(), "2026-11-26"),
      keyOf(larkGroup(), "2026-11-29"),
      keyOf(larkGroup(), "2026-11-30"),
    ]);
  });
});

describe("exactly once", () => {
  it("two instances running the same tick send one digest per group", async () => {
    const wang = await insertDigestScenario(database.db);
    await subscribeGroups(wang, [larkGroup(), dingtalkGroup(), wecomGroup()]);
    const [one, two] = [startInstance("one"), startInstance("two")];
    const outcomes = await Promise.all([
      one.scheduledTick("2026-11-26T09:00"),
      two.scheduledTick("2026-11-26T09:00"),
    ]);
    expect(outcomes.filter((outcome) => outcome !== undefined)).toHaveLength(1);
    // Even unclaimed runs of the same tick at once (a manual run beside the scheduler) add nothing.
    await Promise.all([one.manualRun("2026-11-26T09:00"), two.manualRun("2026-11-26T09:00")]);
    expect(await digestKeys()).toHaveLength(3);
    expect([fakes.lark, fakes.dingtalk, fakes.wecom].map((fake) => fake.delivered.length)).toEqual([1, 1, 1]);
    const runs = await database.db.select().from(jobRuns);
    expect(runs.map((run) => run.trigger).sort()).toEqual(["manual", "manual", "schedule"]);
  });

  it("concurrent unclaimed runs that both find the digest owed still store and send it once", async () => {
    const wang = await insertPerson(database.db);
    await subscribeGroups(wang, [larkGroup(), dingtalkGroup()]);
    const [one, two] = [startInstance("one"), startInstance("two")];
    const summaries = (
      await Promise.all([one.manualRun("2026-11-26T09:00"), two.manualRun("2026-11-26T09:00")])
    ).map((outcome) => outcome.summary);
    expect(deliveredCount()).toBe(2);
    expect(await digestKeys()).toHaveLength(2);
    // Whichever way the race went, the two runs together stored each key once.
    const stored = summaries.map((summary) => Number(/^(\d+) digests/.exec(summary)?.[1] ?? 0));
    expect(stored.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("a rerun of the tick, later ticks and a manual backfill of the day send nothing more", async () => {
    const wang = await insertPerson(database.db);
    await subscribeGroups(wang, [larkGroup(), wecomGroup()]);
    const bot = startInstance("a");
    await bot.scheduledTick("2026-11-26T09:00");
    expect(deliveredCount()).toBe(2);
    expect(await bot.scheduledTick("2026-11-26T09:00")).toBeUndefined();
    expect((await bot.manualRun("2026-11-26T09:00")).summary).toBe("no digest owed for 2026-11-26");
    await bot.scheduledTick("2026-11-26T09:01");
    await bot.manualRun("2026-11-26T17:45");
    expect(deliveredCount()).toBe(2);
    expect(await digestKeys()).toEqual([keyOf(larkGroup(), "2026-11-26"), keyOf(wecomGroup(), "2026-11-26")]);
  });

  it("the job the CLI runs by name is this one", () => {
    expect(findJob("kpi-digest")).toBe(kpiDigestJob);
  });
});

describe("missed digests", () => {
  it("a process down at 09:00 and back at 11:30 sends the digest once at 11:30, and not again the next day", async () => {
    const wang = await insertDigestScenario(database.db);
    await subscribeGroups(wang, [larkGroup()]);
    const bot = startInstance("a", shanghai("2026-11-26T11:30"));
    expect((await bot.scheduledTick("2026-11-26T11:30"))?.summary).toBe(
      "1 digests for 2026-11-26: 1 sent, 0 to retry, 0 failed, 0 deferred",
    );
    const [row] = await digestRows();
    expect(cardOf(row).note).toBe("数据截至 11:30 (Asia/Shanghai)");
    for (const later of ["2026-11-26T11:31", "2026-11-26T18:00", "2026-11-27T08:59"])
      await bot.scheduledTick(later);
    expect(fakes.lark.delivered).toHaveLength(1);
    await bot.scheduledTick("2026-11-27T09:00");
    expect(await digestKeys()).toEqual([keyOf(larkGroup(), "2026-11-26"), keyOf(larkGroup(), "2026-11-27")]);
    expect(fakes.lark.delivered).toHaveLength(2);
  });

  it("a process down all day sends that day's digest never, only the next working day's", async () => {
    const wang = await insertPerson(database.db);
    await subscribeGroups(wang, [larkGroup()]);
    const bot = startInstance("a", shanghai("2026-11-27T10:00"));
    await bot.scheduledTick("2026-11-27T10:00");
    expect(await digestKeys()).toEqual([keyOf(larkGroup(), "2026-11-27")]);
  });

  it("a manual run with --at serves as the backfill of a day, keyed like the scheduled one", async () => {
    const wang = await insertPerson(database.db);
    await subscribeGroups(wang, [dingtalkGroup()]);
    const bot = startInstance("a", shanghai("2026-11-27T10:00"));
    await bot.manualRun("2026-11-26T09:00");
    await bot.scheduledTick("2026-11-26T09:00");
    expect(await digestKeys()).toEqual([keyOf(dingtalkGroup(), "2026-11-26")]);
    expect(fakes.dingtalk.delivered).toHaveLength(1);
  });
});

describe("platform outage", () => {
  it("a digest the platform refused with 500 is retried by the drain and delivered once", async () => {
    const wang = await insertPerson(database.db);
    await subscribeGroups(wang, [larkGroup()]);
    const bot = startInstance("a");
    fakes.lark.fail({ count: 2, status: 500, body: { code: 500, msg: "internal error" } });
    expect((await bot.scheduledTick("2026-11-26T09:00"))?.summary).toBe(
      "1 digests for 2026-11-26: 0 sent, 1 to retry, 0 failed, 0 deferred",
    );
    await bot.scheduledTick("2026-11-26T09:01");
    expect(fakes.lark.delivered).toHaveLength(0);
    expect((await digestRows())[0]?.status).toBe("pending");

    // The outbox-drain job's work: still down at the first retry, up at the second.
    bot.clock.set(shanghai("2026-11-26T09:05").toISOString());
    expect(await bot.outbox.drain()).toMatchObject({ sent: 0, retried: 1 });
    bot.clock.set(shanghai("2026-11-26T09:10").toISOString());
    expect(await bot.outbox.drain()).toMatchObject({ sent: 1 });
    await bot.outbox.drain();
    await bot.scheduledTick("2026-11-26T09:11");
    expect(fakes.lark.delivered).toHaveLength(1);
    expect((await digestRows()).map((row) => [row.status, row.attempts])).toEqual([["sent", 3]]);
  });
});

describe("send times", () => {
  it("a group that chose 08:30 gets its digest at 08:30, the others at 09:00", async () => {
    const wang = await insertPerson(database.db);
    await subscribeGroups(wang, [larkGroup("08:30"), dingtalkGroup()]);
    const bot = startInstance("a", shanghai("2026-11-26T08:00"));
    await bot.scheduledTick("2026-11-26T08:29");
    expect(await digestKeys()).toEqual([]);
    await bot.scheduledTick("2026-11-26T08:30");
    expect(await digestKeys()).toEqual([keyOf(larkGroup(), "2026-11-26")]);
    await bot.scheduledTick("2026-11-26T08:59");
    expect(fakes.dingtalk.delivered).toHaveLength(0);
    await bot.scheduledTick("2026-11-26T09:00");
    expect(await digestKeys()).toEqual([
      keyOf(dingtalkGroup(), "2026-11-26"),
      keyOf(larkGroup(), "2026-11-26"),
    ]);
    expect([fakes.lark.delivered.length, fakes.dingtalk.delivered.length]).toEqual([1, 1]);
  });
});
