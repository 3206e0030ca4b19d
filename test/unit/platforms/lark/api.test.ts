// createLarkApi against the fake Lark over real HTTP: token cache and refresh, sends, and error mapping.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SendError } from "../../../../src/platforms/errors.ts";
import { createLarkApi, larkUuid } from "../../../../src/platforms/lark/api.ts";
import { renderLarkMessage } from "../../../../src/platforms/lark/render.ts";
import { type FakeLark, startFakeLark } from "../../../fakes/lark.ts";

const APP = { appId: "cli_a1b2c3d4e5f60718", appSecret: "app-secret-1" };
const TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
const hello = renderLarkMessage({ type: "text", text: "hello" });
const card = { schema: "2.0", config: { update_multi: true }, body: { elements: [] } };

let fake: FakeLark;
let clock: number;
const now = () => new Date(clock);
const api = (appSecret = APP.appSecret) =>
  createLarkApi({ config: { ...APP, appSecret, apiBase: fake.url }, fetch: globalThis.fetch, now });
const tokenFetches = () => fake.requests.filter((r) => r.path === TOKEN_PATH).length;

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SendError);
  return error as SendError;
}

beforeAll(async () => {
  fake = await startFakeLark(APP);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  clock = Date.UTC(2026, 10, 26, 1, 0, 0);
});

describe("tenant_access_token", () => {
  it("fetches one token for many sends, sequential and concurrent", async () => {
    const client = api();
    await client.sendToChat("oc_a", hello, "k-seq-1");
    await client.sendToChat("oc_a", hello, "k-seq-2");
    await Promise.all(Array.from({ length: 5 }, (_, i) => client.sendToChat("oc_b", hello, `k-par-${i}`)));
    expect(tokenFetches()).toBe(1);
    expect(fake.delivered).toHaveLength(7);
  });

  it("refreshes 30 minutes before the token expires, not earlier", async () => {
    const client = api();
    await client.sendToChat("oc_a", hello, "k-r1");
    clock += (7200 - 1800 - 1) * 1000;
    await client.sendToChat("oc_a", hello, "k-r2");
    expect(tokenFetches()).toBe(1);
    clock += 2000;
    await client.sendToChat("oc_a", hello, "k-r3");
    expect(tokenFetches()).toBe(2);
  });

  it("fetches a new token once and retries when Lark says the token is invalid (99991663)", async () => {
    const client = api();
    await client.sendToChat("oc_a", hello, "k-v1");
    fake.revokeTokens();
    await expect(client.sendToChat("oc_a", hello, "k-v2")).resolves.toMatch(/^om_/);
    expect(fake.requests.map((r) => [r.path.split("?")[0], r.status])).toEqual([
      [TOKEN_PATH, 200],
      ["/open-apis/im/v1/messages", 200],
      ["/open-apis/im/v1/messages", 400],
      [TOKEN_PATH, 200],
      ["/open-apis/im/v1/messages", 200],
    ]);
    expect(fake.delivered).toHaveLength(2);
  });

  it("retries a token error only once", async () => {
    const client = api();
    fake.fail({ count: 2, status: 400, body: { code: 99991663, msg: "Invalid access token" } });
    const error = await sendError(client.sendToChat("oc_a", hello, "k-twice"));
    expect({ kind: error.kind, code: error.platformCode }).toEqual({ kind: "permanent", code: 99991663 });
    expect(fake.requests.filter((r) => r.path !== TOKEN_PATH)).toHaveLength(2);
  });

  it("reports a wrong app secret as permanent without the secret in the message", async () => {
    const error = await sendError(api("wrong-secret").sendToChat("oc_a", hello, "k-secret"));
    expect(error.kind).toBe("permanent");
    expect(error.platformCode).toBe(10014);
    expect(error.message).not.toContain("wrong-secret");
  });
});

describe("sending", () => {
  it("sends to a chat by chat_id, content as a JSON string, uuid from the idempotency key", async () => {
    const id = await api().sendToChat("oc_ops", hello, "digest:oc_ops:2026-11-26");
    expect(id).toMatch(/^om_\d+$/);
    const sent = fake.requests.at(-1);
    expect(sent?.path).toBe("/open-apis/im/v1/messages?receive_id_type=chat_id");
    expect(sent?.headers.authorization).toMatch(/^Bearer t-/);
    expect(sent?.body).toEqual({
      receive_id: "oc_ops",
      msg_type: "text",
      content: '{"text":"hello"}',
      uuid: "digest:oc_ops:2026-11-26",
    });
  });

  it("sends to a user by open_id", async () => {
    await api().sendToChat("ou_admin", hello, "k-dm");
    expect(fake.requests.at(-1)?.path).toBe("/open-apis/im/v1/messages?receive_id_type=open_id");
  });

  it("does not deliver twice for the same idempotency key (Lark's uuid dedup)", async () => {
    const client = api();
    const first = await client.sendToChat("oc_a", hello, "alert:overdue:O-20261126-001:breach");
    const again = await client.sendToChat("oc_a", hello, "alert:overdue:O-20261126-001:breach");
    expect(again).toBe(first);
    expect(fake.delivered).toHaveLength(1);
  });

  it("hashes idempotency keys over 50 characters into a stable 50-character uuid", async () => {
    const key = `digest:oc_84983ff6516d731e5b5f68d4ea2e1da5:2026-11-26:extra`;
    const uuid = await larkUuid(key);
    expect(uuid).toHaveLength(50);
    expect(await larkUuid(key)).toBe(uuid);
    expect(await larkUuid(`${key}!`)).not.toBe(uuid);
    const client = api();
    const first = await client.sendToChat("oc_a", hello, key);
    expect(await client.sendToChat("oc_a", hello, key)).toBe(first);
    expect(fake.delivered).toHaveLength(1);
    expect(fake.requests.at(-1)?.body).toMatchObject({ uuid });
  });

  it("replies to a message", async () => {
    const id = await api().reply("om_user_9", hello, "reply:om_user_9");
    expect(id).toMatch(/^om_/);
    expect(fake.delivered.at(-1)).toEqual({
      path: "/open-apis/im/v1/messages/om_user_9/reply",
      body: { msg_type: "text", content: '{"text":"hello"}', uuid: "reply:om_user_9" },
    });
  });

  it("patches a card it sent, with the card as a JSON string", async () => {
    const client = api();
    const id = await client.sendToChat(
      "oc_a",
      { msg_type: "interactive", content: JSON.stringify(card) },
      "k-card",
    );
    await client.patchCard(id, card);
    expect(fake.delivered.at(-1)).toEqual({
      path: `/open-apis/im/v1/messages/${id}`,
      body: { content: JSON.stringify(card) },
    });
  });

  it("updates a clicked card by its callback token", async () => {
    await api().updateCardByToken("c-token-1", card);
    expect(fake.delivered.at(-1)).toEqual({
      path: "/open-apis/interactive/v1/card/update",
      body: { token: "c-token-1", card },
    });
  });
});

describe("failures", () => {
  it("maps 429 to rate_limited with retryAfterMs from x-ogw-ratelimit-reset", async () => {
    fake.fail({
      count: 1,
      status: 429,
      headers: { "x-ogw-ratelimit-limit": "50", "x-ogw-ratelimit-reset": "3" },
      body: { code: 99991400, msg: "request trigger frequency limit" },
    });
    const error = await sendError(api().sendToChat("oc_a", hello, "k-429"));
    expect({ kind: error.kind, retryAfterMs: error.retryAfterMs, code: error.platformCode }).toEqual({
      kind: "rate_limited",
      retryAfterMs: 3000,
      code: 99991400,
    });
  });

  it("maps a per-chat frequency error (230020) to rate_limited", async () => {
    fake.fail({
      count: 1,
      status: 400,
      body: { code: 230020, msg: "This operation triggers the frequency limit." },
    });
    expect((await sendError(api().sendToChat("oc_a", hello, "k-230020"))).kind).toBe("rate_limited");
  });

  it("maps 5xx to transient", async () => {
    fake.fail({ count: 1, status: 500, body: { code: 1000, msg: "internal error" } });
    const error = await sendError(api().sendToChat("oc_a", hello, "k-500"));
    expect(error.kind).toBe("transient");
  });

  it("maps bot-not-in-chat (230002) to permanent, keeping the code", async () => {
    fake.fail({ count: 1, status: 400, body: { code: 230002, msg: "Bot/User can NOT be out of the chat." } });
    const error = await sendError(api().sendToChat("oc_gone", hello, "k-230002"));
    expect({ kind: error.kind, code: error.platformCode }).toEqual({ kind: "permanent", code: 230002 });
  });

  it("maps a card Lark refuses to permanent", async () => {
    const client = api();
    const oneZero = { config: { update_multi: false }, elements: [] };
    const error = await sendError(
      client.sendToChat("oc_a", { msg_type: "interactive", content: JSON.stringify(oneZero) }, "k-v1card"),
    );
    expect(error.kind).toBe("permanent");
  });

  it("maps a refused connection to transient", async () => {
    const gone = await startFakeLark(APP);
    await gone.close();
    const client = createLarkApi({ config: { ...APP, apiBase: gone.url }, fetch: globalThis.fetch, now });
    const error = await sendError(client.sendToChat("oc_a", hello, "k-net"));
    expect(error.kind).toBe("transient");
  });
});
