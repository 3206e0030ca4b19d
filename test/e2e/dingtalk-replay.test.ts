// DingTalk signs only the timestamp: a captured (timestamp, sign) pair is accepted with its first body only,
// on the robot route and the card-callback route; the same body again (a platform retry) is deduplicated.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
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

describe("robot messages", () => {
  it("refuses a captured pair with another body (401, logged, nothing stored) and dedups the same body", async () => {
    const signedAt = h.clock.now().getTime();
    const headers = signDingTalk(signedAt, DINGTALK.clientSecret);
    const original = dingtalkRobotMessage({ text: "/help", msgId: "msgOriginal", createAt: signedAt });
    expect((await post("/webhooks/dingtalk", original, headers)).status).toBe(200);
    await h.settle();

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
    expect((await h.inboxRows()).map((row) => row.dedupKey)).toHaveLength(1);
  });
});

describe("card callbacks", () => {
  it("refuses a captured x-ddpaas-signature with another user's click", async () => {
    const timestamp = String(h.clock.now().getTime());
    const headers = signDingTalkCard(timestamp, DINGTALK.cardCallbackSecret);
    const click = (userId: string) =>
      dingtalkCardCallback({
        outTrackId: "0123456789abcdef01234567.g.Y2lk",
        userId,
        params: { action: "x" },
      });
    expect((await post("/webhooks/dingtalk/cards", click("manager4511"), headers)).status).toBe(200);
    await h.settle();
    expect((await post("/webhooks/dingtalk/cards", click("victim0002"), headers)).status).toBe(401);
    expect((await post("/webhooks/dingtalk/cards", click("manager4511"), headers)).status).toBe(200);
  });
});
