// /calendar end to end: signed webhooks of Lark, DingTalk and WeCom; an admin's pasted notice moves a live deadline.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { complaints } from "../../src/db/schema/index.ts";
import { grantRole, personForContact } from "../../src/domain/people/people.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import {
  createHarness,
  type Fakes,
  type Harness,
  LARK,
  sendDingTalkMessage,
  sendWeComAppMessage,
  startFakes,
} from "../helpers/e2e-harness.ts";
import { larkMessageEvent, signLarkRequest } from "../helpers/lark-signer.ts";

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
let testNumber = 0;
const messageId = (name: string) => `cal_${name}_${testNumber}`;
// Thursday 2027-02-04 10:00 in Shanghai: the eve of the provisional Spring Festival.
const START = new Date("2027-02-04T02:00:00Z");

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});
beforeEach(async () => {
  await truncateAll(database);
  fakes.reset();
  testNumber++;
  h = createHarness({ database, fakes, channels: ["lark", "dingtalk", "wecom"], start: START });
});

async function postLark(text: string, id: string, sender = "ou_sender"): Promise<void> {
  const payload = larkMessageEvent({
    token: LARK.verificationToken,
    text,
    messageId: id,
    chatId: "oc_calendar",
    eventId: `ev_${id}`,
    senderOpenId: sender,
  });
  const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
  const { body, headers } = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp });
  expect((await h.send("/webhooks/lark", { method: "POST", body, headers })).status).toBe(200);
  await h.settle();
}

/** Every Lark reply's text, in order. */
const larkTexts = (): string[] =>
  fakes.lark.delivered.map((delivery) => {
    const body = delivery.body as { msg_type: string; content: string };
    return JSON.stringify(JSON.parse(body.content));
  });

describe("/calendar on Lark", () => {
  it("explains a provisional holiday, and an admin's pasted notice moves an open complaint's deadline", async () => {
    const { personId } = await personForContact(database.db, {
      platform: "lark",
      userId: "ou_admin",
      name: "Root",
      bootstrapAdmin: false,
      now: h.clock.now(),
    });
    await grantRole(database.db, { personId, role: "admin", by: null, now: h.clock.now() });

    await postLark("/calendar 2027-02-05", `om_${messageId("day")}`);
    expect(larkTexts()[0]).toContain(
      "2027-02-05 (Friday): day off — statutory holiday: Spring Festival (provisional)",
    );

    await postLark("/投诉 华为 包装破损", `om_${messageId("complaint")}`);
    const [complaint] = await database.db.select().from(complaints);
    // Each request moves the clock on by a second: 10:00:02 on the third working day, 02-15.
    expect(complaint?.resolutionDueAt.toISOString()).toMatch(/^2027-02-15T02:00/);

    fakes.reset();
    const notice = "2027-02-05..2027-02-12 holiday 春节\n2027-02-14 workday 春节调休";
    await postLark(`/calendar set ${notice}`, `om_${messageId("set")}`, "ou_admin");
    expect(larkTexts()[0]).toContain(
      `${complaint?.number}: 2027-02-15 10:00 → 2027-02-16 10:00 (provisional)`,
    );
    const [moved] = await database.db
      .select()
      .from(complaints)
      .where(eq(complaints.id, complaint?.id ?? 0));
    expect(moved?.resolutionDueAt.toISOString()).toMatch(/^2027-02-16T02:00/);
    expect(moved?.resolutionDueMovedFrom).toEqual(complaint?.resolutionDueAt);

    fakes.reset();
    await postLark(`/calendar set 2027-02-20 holiday`, `om_${messageId("denied")}`);
    expect(larkTexts()[0]).toMatch(/you may not use \/calendar set — needs role: admin/);
  });
});

describe("/calendar on DingTalk", () => {
  it("answers /日历 with a day in lieu, in Chinese, through the sessionWebhook", async () => {
    expect(await sendDingTalkMessage(h, fakes, "/日历 2027-02-10", messageId("ding"))).toBe(200);
    expect(fakes.dingtalk.delivered).toHaveLength(1);
    expect(JSON.stringify(fakes.dingtalk.delivered[0]?.body)).toContain(
      "2027-02-10 (星期三): 休息日 — 春节 补假/调休放假（暂定）",
    );
  });
});

describe("/calendar on WeCom", () => {
  it("answers /calendar for a published make-up workday through message/send", async () => {
    expect(await sendWeComAppMessage(h, "/calendar 2026-10-10", messageId("1001"))).toBe(200);
    expect(fakes.wecom.delivered).toHaveLength(1);
    expect(JSON.stringify(fakes.wecom.delivered[0]?.body)).toContain(
      "2026-10-10 (Saturday): working day — make-up workday (National Day)",
    );
  });
});
