// Urgent notices in the outbox: held until their time, sent after the message they urge, failed with it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OutboxItem } from "../../../src/outbox/outbox.ts";
import type { PlatformAdapter } from "../../../src/platforms/types.ts";
import { type FakeLark, startFakeLark } from "../../fakes/lark.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import { type FakeTime, fakeTime, LARK_APP, larkAdapter, outboxWith, rows, START } from "./harness.ts";

let database: TestDatabase;
let fake: FakeLark;
let time: FakeTime;
let lark: PlatformAdapter;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());
beforeEach(async () => {
  await truncateAll(database);
  fake = await startFakeLark(LARK_APP);
  time = fakeTime();
  lark = larkAdapter(fake, time);
});
afterEach(() => fake.close());

const notice = (openId: string): OutboxItem => ({
  idempotencyKey: `alert:task:T-1:escalation:0:lark:${openId}`,
  target: { kind: "chat", platform: "lark", chatId: openId, chatKind: "direct" },
  message: { type: "text", text: "escalated" },
});

const urgent = (openId: string, notBefore?: Date): OutboxItem => ({
  idempotencyKey: `urgent:task:T-1:escalation:lark:${openId}`,
  target: {
    kind: "urgent",
    platform: "lark",
    userIds: [openId],
    follows: `alert:task:T-1:escalation:0:lark:${openId}`,
    chatId: openId,
  },
  message: { type: "text", text: "escalated" },
  ...(notBefore ? { notBefore } : {}),
});

const urgentCalls = () => fake.requests.filter((request) => request.path.includes("/urgent_app"));

describe("an urgent notice in the outbox", () => {
  it("goes after the message it urges, on that message's id, in one delivery", async () => {
    const box = outboxWith(database, time, { lark });
    const keys = await box.enqueue([notice("ou_boss"), urgent("ou_boss")]);
    expect(await box.deliver(keys)).toMatchObject({ sent: 2, failed: 0 });
    const sent = await box.findSent(notice("ou_boss").idempotencyKey);
    expect(urgentCalls().map((call) => [call.path, call.body])).toEqual([
      [
        `/open-apis/im/v1/messages/${sent?.messageId}/urgent_app?user_id_type=open_id`,
        { user_id_list: ["ou_boss"] },
      ],
    ]);
  });

  it("waits for its time: not delivered before it, drained after it", async () => {
    const box = outboxWith(database, time, { lark });
    const morning = new Date(START.getTime() + 11 * 3_600_000);
    const keys = await box.enqueue([notice("ou_boss"), urgent("ou_boss", morning)]);
    expect(await box.deliver(keys)).toMatchObject({ sent: 1 });
    // Its day of retries starts when it is due, not when it was stored the evening before.
    expect((await rows(database))[1]?.createdAt).toEqual(morning);
    expect(await box.drain()).toMatchObject({ sent: 0 });
    expect(urgentCalls()).toHaveLength(0);
    time.advanceTo(morning);
    expect(await box.drain()).toMatchObject({ sent: 1 });
    expect(urgentCalls()).toHaveLength(1);
  });

  it("fails for good when the message it urges failed", async () => {
    const box = outboxWith(database, time, { lark });
    fake.fail({ count: 1, status: 400, body: { code: 230002, msg: "bot not in chat" } });
    const keys = await box.enqueue([notice("ou_boss"), urgent("ou_boss")]);
    expect(await box.deliver(keys)).toMatchObject({ sent: 0, failed: 2 });
    expect((await rows(database)).map((row) => row.status)).toEqual(["failed", "failed"]);
    expect(urgentCalls()).toHaveLength(0);
  });

  it("is retried while the message it urges is not sent yet", async () => {
    const box = outboxWith(database, time, { lark });
    await box.enqueue([urgent("ou_boss")]);
    expect(await box.drain()).toMatchObject({ retried: 1 });
    const [row] = await rows(database);
    expect(row?.lastError).toContain("is not sent yet");
    expect(urgentCalls()).toHaveLength(0);
  });

  it("is refused by Lark for a user outside the message's chat, and not retried", async () => {
    const box = outboxWith(database, time, { lark });
    const stranger: OutboxItem = {
      ...urgent("ou_boss"),
      idempotencyKey: "urgent:stranger",
      target: {
        ...(urgent("ou_boss").target as Extract<OutboxItem["target"], { kind: "urgent" }>),
        userIds: ["ou_x"],
      },
    };
    const keys = await box.enqueue([notice("ou_boss"), stranger]);
    expect(await box.deliver(keys)).toMatchObject({ sent: 1, failed: 1 });
    expect(urgentCalls()).toHaveLength(1);
  });
});
