// DingTalk signs only the timestamp, so two messages (or clicks) it signs in the same millisecond share their
// (timestamp, sign) pair: both are taken. A captured pair sent with another body later is refused, on the robot
// route and the card-callback route; the same body again (a platform retry) is deduplicated.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SIGNED_TOGETHER_MS } from "../../src/inbox/signature-uses.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import {
  dingtalkCardCallback,
  dingtalkRobotMessage,
  signDingTalk,
  signDingTalkCard,
} from "../helpers/dingtalk-signer.ts";
import { createHarness, DINGTALK, type Fakes, type Harness, startFakes } from "../helpers/e2e-harness.ts";

const START = new Date("2026-11-26T02:00:00Z");

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});
beforeEach(async () => {
  await truncateAll(database);
  fakes.reset();
  h = createHarness({ database, fakes, channels: ["dingtalkCards"], start: START });
});

const post = (path: string, body: unknown, headers: Record<string, string>) =>
  h.send(path, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });

/** Past the span in which DingTalk's same-instant requests reach us: what comes now under a used pair is a replay. */
const later = () => h.clock.advance(SIGNED_TOGETHER_MS + 1);

describe("robot messages", () => {
  it("takes two messages signed in the same millisecond, each once, and each again as a retry", async () => {
    const signedAt = h.clock.now().getTime();
    const headers = signDingTalk(signedAt, DINGTALK.clientSecret);
    const first = dingtalkRobotMessage({ text: "/help", msgId: "msgFirst", createAt: signedAt });
    const second = dingtalkRobotMessage({
      text: "/help order",
      msgId: "msgSecond",
      createAt: signedAt,
      overrides: { senderStaffId: "staff0002" },
    });
    expect((await post("/webhooks/dingtalk", first, headers)).status).toBe(200);
    expect((await post("/webhooks/dingtalk", second, headers)).status).toBe(200);
    await h.settle();
    later();
    expect((await post("/webhooks/dingtalk", second, headers)).status).toBe(200);
    await h.settle();

    const rows = await h.inboxRows();
    expect(rows.map((row) => [row.dedupKey, row.status])).toEqual([
      ["dingtalk:msg:msgFirst", "done"],
      ["dingtalk:msg:msgSecond", "done"],
    ]);
    expect((await h.outboxRows()).map((row) => row.idempotencyKey)).toEqual([
      "reply:dingtalk:msg:msgFirst",
      "reply:dingtalk:msg:msgSecond",
    ]);
  });

  it("refuses a captured pair with another body later (401, logged, nothing stored) and dedups the same body", async () => {
    const signedAt = h.clock.now().getTime();
    const headers = signDingTalk(signedAt, DINGTALK.clientSecret);
    const original = dingtalkRobotMessage({ text: "/help", msgId: "msgOriginal", createAt: signedAt });
    expect((await post("/webhooks/dingtalk", original, headers)).status).toBe(200);
    await h.settle();

    later();
    const forged = dingtalkRobotMessage({
      text: "/role grant mallory admin",
      msgId: "msgForged",
      createAt: signedAt,
      overrides: { senderStaffId: "admin0001" },
    });
    expect((await post("/webhooks/dingtalk", forged, headers)).status).toBe(401);
    expect(h.logLines.some((line) => line.includes("replayed_signature"))).toBe(true);

    expect((await post("/webhooks/dingtalk", original, headers)).status).toBe(200);
    await h.settle();
    expect((await h.inboxRows()).map((row) => row.dedupKey)).toEqual(["dingtalk:msg:msgOriginal"]);
  });
});

describe("card callbacks", () => {
  const click = (userId: string) =>
    dingtalkCardCallback({
      outTrackId: "0123456789abcdef01234567.g.Y2lk",
      userId,
      params: { action: "x" },
    });

  it("takes two people's clicks signed in the same millisecond", async () => {
    const timestamp = String(h.clock.now().getTime());
    const headers = signDingTalkCard(timestamp, DINGTALK.cardCallbackSecret);
    expect((await post("/webhooks/dingtalk/cards", click("manager4511"), headers)).status).toBe(200);
    expect((await post("/webhooks/dingtalk/cards", click("staff0002"), headers)).status).toBe(200);
    await h.settle();
    expect((await h.inboxRows()).map((row) => row.dedupKey)).toEqual([
      `dingtalk:card:0123456789abcdef01234567.g.Y2lk:manager4511:${timestamp}`,
      `dingtalk:card:0123456789abcdef01234567.g.Y2lk:staff0002:${timestamp}`,
    ]);
  });

  it("refuses a captured x-ddpaas-signature with another user's click later", async () => {
    const timestamp = String(h.clock.now().getTime());
    const headers = signDingTalkCard(timestamp, DINGTALK.cardCallbackSecret);
    expect((await post("/webhooks/dingtalk/cards", click("manager4511"), headers)).status).toBe(200);
    await h.settle();
    later();
    expect((await post("/webhooks/dingtalk/cards", click("victim0002"), headers)).status).toBe(401);
    expect((await post("/webhooks/dingtalk/cards", click("manager4511"), headers)).status).toBe(200);
    expect(await h.inboxRows()).toHaveLength(1);
  });
});
