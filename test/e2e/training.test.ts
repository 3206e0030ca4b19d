// /training and /practice end to end through the signed webhooks of Lark, DingTalk and WeCom (app and robot):
// records logged and listed, the practice order step by step and its score kept, the managers' list of the
// untrained in a quarter's last month (working day, make-up workday, company holiday), and a practice order that
// leaves no trace in real data or the KPIs.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  auditLog,
  calendarOverrides,
  orders,
  practiceSessions,
  trainingRecords,
} from "../../src/db/schema/index.ts";
import { trainingGapsJob } from "../../src/jobs/training-gaps.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage, sendWeComBotMessage } from "../helpers/e2e-harness.ts";
import { tableStates } from "../helpers/table-state.ts";
import { confirmedOrder } from "../integration/alerts/support.ts";

const local = (day: string, time: string): Date => new Date(`${day}T${time}:00+08:00`);

// Monday 2026-12-07 10:00 in Shanghai: the last month of the fourth quarter.
const START = local("2026-12-07", "10:00");
const area = useAreaTest({
  prefix: "training",
  start: START,
  larkChat: "oc_training",
  larkSender: "ou_boss",
  channels: ["lark", "dingtalk", "wecom", "wecomBot"],
});

const run = (at: Date) => trainingGapsJob.run(area.h.services.jobContext(at));
const LI = [{ key: "@_user_1", openId: "ou_li", name: "Li Na" }];

describe("/training on Lark", () => {
  it("logs a course for the people named, lists them, refuses what is wrong and whoever may not", async () => {
    await area.withRole("lark", "ou_boss", "manager");
    await area.postLark("/training log fire drill 2026-12-04 @Li Na", { mentions: LI });
    expect(area.lastLark()).toContain("Recorded “fire drill” on 2026-12-04 for 1 people");
    await area.postLark("/training list @Li Na", { mentions: LI, sender: "ou_visitor" });
    expect(area.lastLark()).toContain("2026-12-04 Li Na · fire drill");

    await area.postLark("/training log fire drill 2026-12-09 @Li Na", { mentions: LI });
    expect(area.lastLark()).toContain("the training day 2026-12-09 is in the future (today is 2026-12-07)");
    await area.postLark("/training log fire drill 2026-12-04", {});
    expect(area.lastLark()).toContain("@ the people trained");
    expect(area.lastLark()).toContain("usage: /training log <course…> <YYYY-MM-DD> @people…");
    await area.postLark("/training log fire drill 2026-12-04 @Li Na", { mentions: LI, sender: "ou_visitor" });
    expect(area.lastLark()).toMatch(/needs role/);
    expect(await area.database.db.select().from(trainingRecords)).toHaveLength(1);
    const [audited] = await area.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "training.recorded"));
    expect(audited?.entityType).toBe("training");
  });

  it("lists the untrained to each manager in the quarter's last month, on each week's first working day", async () => {
    await area.withRole("lark", "ou_boss", "manager");
    const li = await area.withRole("lark", "ou_li", "staff");
    await area.withRole("lark", "ou_wang", "staff");
    await area.database.db.insert(trainingRecords).values({
      personId: li,
      course: "fire drill",
      day: "2026-10-15",
      source: "log",
      createdAt: START,
      createdBy: li,
    });
    expect(await run(local("2026-11-30", "09:30"))).toBe("no training listing due");
    expect(await run(local("2026-12-01", "09:25"))).toBe("no training listing due");
    expect(await run(local("2026-12-01", "09:30"))).toMatch(
      /^2 untrained in 2026-Q4 listed to 1 manager chats: 1 sent/,
    );
    expect(await run(local("2026-12-01", "10:00"))).toBe("training listing for 2026-12-01 already sent");
    // Tuesday was the week's first working day: not Wednesday.
    expect(await run(local("2026-12-02", "09:30"))).toBe("no training listing due");
    const listing = (await area.h.outboxRows()).find(
      (row) => row.idempotencyKey === "training-gaps:lark:ou_boss:2026-12-01",
    );
    const text = JSON.stringify(listing?.message);
    expect(text).toContain("ou_wang");
    expect(text).toContain("ou_boss");
    expect(text).not.toContain("ou_li");
    // A company holiday on Monday the 7th: that week's listing moves to Tuesday.
    await area.database.db
      .insert(calendarOverrides)
      .values({ day: "2026-12-07", kind: "off", createdAt: START });
    expect(await run(local("2026-12-07", "09:30"))).toBe("no training listing due");
    expect(await run(local("2026-12-08", "09:30"))).toMatch(/^2 untrained/);
    // The third quarter: Sunday 20 September is a make-up workday, but Monday the 14th opened that week.
    expect(await run(local("2026-09-20", "09:30"))).toBe("no training listing due");
    expect(await run(local("2026-09-21", "09:30"))).toMatch(/^3 untrained in 2026-Q3/);
  });

  it("a practice order leaves no trace in real data or the KPIs", async () => {
    const boss = await area.withRole("lark", "ou_boss", "manager");
    await confirmedOrder(area.database, "O-20261110-001", "2026-12-01", boss);
    await area.postLark("/subscribe alerts", { name: "sub" });
    await area.postLark("/kpi month", { name: "kpi-before" });
    const kpiBefore = area.lastLark().replace(/"uuid":"[^"]*"/, "");
    const bookkeeping = ["inbox", "outbox", "audit_log", "people", "identities", "chats", "signature_uses"];
    const ours = ["practice_sessions", "training_records"];
    const before = await tableStates(area.database, [...bookkeeping, ...ours]);
    const outboxBefore = (await area.h.outboxRows()).length;

    const newbie = { sender: "ou_newbie", chatId: "oc_newbie", chatType: "p2p" as const };
    await area.postLark("/practice", newbie);
    expect(area.lastLark()).toContain("Simulated data");
    expect(area.lastLark()).toContain("ACME");
    await area.postLark("/practice ACME X1-DEMO 120 2026-12-21", newbie);
    expect(area.lastLark()).toContain("✓ Right");
    await area.postLark("/practice 2026-12-08 10:00", newbie);
    expect(area.lastLark()).toContain("✓ Right");
    await area.postLark("/practice 2026-12-09 10:00", newbie);
    expect(area.lastLark()).toContain("The answer is 2026-12-10 10:00");
    await area.postLark("/practice 5", newbie);
    expect(area.lastLark()).toContain("3/4 right, score 75 (pass 75) ✓ passed");

    expect(await tableStates(area.database, [...bookkeeping, ...ours])).toEqual(before);
    const pushed = (await area.h.outboxRows()).slice(outboxBefore);
    expect(pushed.every((row) => row.idempotencyKey.startsWith("reply:lark:msg:"))).toBe(true);
    // Only the answers to the new hire's own messages: nothing pushed to a group or a manager.
    expect(pushed.every((row) => (row.target as { kind: string }).kind === "reply")).toBe(true);
    expect(pushed).toHaveLength(5);
    const audited = await area.database.db.select().from(auditLog);
    expect(
      audited.filter((row) => !["practice", "training", "person", "subscription"].includes(row.entityType)),
    ).toEqual([]);
    await area.postLark("/kpi month", { name: "kpi-after" });
    expect(area.lastLark().replace(/"uuid":"[^"]*"/, "")).toBe(kpiBefore);
    const [record] = await area.database.db.select().from(trainingRecords);
    expect(record).toMatchObject({ course: "practice-order", source: "practice", score: 75 });
    expect(await area.database.db.select().from(orders)).toHaveLength(1);
  });
});

describe("/练习 on DingTalk", () => {
  it("walks through the practice in Chinese: the resolution due over National Day lands on the make-up Saturday", async () => {
    area.h.clock.set("2026-09-30T02:00:00Z");
    const say = (text: string, name: string) =>
      sendDingTalkMessage(area.h, area.fakes, text, area.messageId(name));
    const last = () => JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body);
    expect(await say("/练习", "start")).toBe(200);
    expect(last()).toContain("2026-10-14 交货");
    expect(await say("/练习 acme x1-demo 120 2026-10-14", "order")).toBe(200);
    expect(last()).toContain("✓ 正确");
    expect(await say("/练习 2026-10-01 10:00", "response")).toBe(200);
    expect(await say("/练习 2026-10-03 10:00", "resolution")).toBe(200);
    expect(last()).toContain("✗ 正确答案是 2026-10-10 10:00");
    expect(last()).toContain("调休上班日算");
    expect(await say("/练习 5", "review")).toBe(200);
    expect(last()).toContain("得分 75");
    const [session] = await area.database.db.select().from(practiceSessions);
    expect(session?.score).toBe(75);
  });
});

describe("/training on WeCom", () => {
  it("app: a practice with wrong answers is scored and listed", async () => {
    const say = (text: string, name: string) => sendWeComAppMessage(area.h, text, area.messageId(name));
    await say("/practice", "start");
    for (const [index, answer] of [
      "ACME X1 1 2026-12-21",
      "2026-12-07 10:00",
      "2026-12-09 10:00",
      "3",
    ].entries())
      await say(`/practice ${answer}`, `a${index}`);
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain("0/4 right, score 0");
    await say("/training list", "list");
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain(
      "zhangsan · practice order · score 0",
    );
  });

  it("robot: a manager logs a course in Chinese", async () => {
    await area.withRole("wecom", "zhangsan", "manager");
    expect(
      await sendWeComBotMessage(
        area.h,
        area.fakes,
        "/培训 记录 安全培训 2026-12-04 @zhangsan @lisi",
        area.messageId("log"),
      ),
    ).toBe(200);
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain("2 人");
    expect(await area.database.db.select().from(trainingRecords)).toHaveLength(2);
  });
});
