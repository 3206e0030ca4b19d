// The fake Lark refuses what Lark refuses, so tests that pass against it mean something.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeLark, startFakeLark } from "../../../fakes/lark.ts";

const APP = { appId: "cli_fake", appSecret: "fake-secret" };
let fake: FakeLark;
let token: string;

async function call(method: string, path: string, body: unknown, auth: string | null = token) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth) headers.authorization = `Bearer ${auth}`;
  const response = await fetch(`${fake.url}${path}`, { method, headers, body: JSON.stringify(body) });
  return {
    status: response.status,
    body: (await response.json()) as { code: number; data?: { message_id: string } },
  };
}

const SEND = "/open-apis/im/v1/messages?receive_id_type=chat_id";
const text = { receive_id: "oc_a", msg_type: "text", content: '{"text":"hi"}' };

beforeAll(async () => {
  fake = await startFakeLark(APP);
  const issued = await call("POST", "/open-apis/auth/v3/tenant_access_token/internal", {
    app_id: APP.appId,
    app_secret: APP.appSecret,
  });
  token = (issued.body as unknown as { tenant_access_token: string }).tenant_access_token;
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("fake Lark", () => {
  it("issues tokens only for the right app id and secret", async () => {
    const wrong = await call("POST", "/open-apis/auth/v3/tenant_access_token/internal", {
      app_id: APP.appId,
      app_secret: "nope",
    });
    expect(wrong.body.code).toBe(10014);
    expect(token).toMatch(/^t-/);
  });

  it("wants a token it issued", async () => {
    expect((await call("POST", SEND, text, null)).body.code).toBe(99991661);
    expect((await call("POST", SEND, text, "t-forged")).body.code).toBe(99991663);
    expect((await call("POST", SEND, text)).body.code).toBe(0);
  });

  it("checks receive_id_type, receive_id, msg_type and that content is a JSON string", async () => {
    const bad = [
      ["/open-apis/im/v1/messages", text],
      ["/open-apis/im/v1/messages?receive_id_type=nickname", text],
      [SEND, { ...text, receive_id: "" }],
      [SEND, { ...text, msg_type: "shout" }],
      [SEND, { ...text, content: { text: "hi" } }],
      [SEND, { ...text, content: "hi" }],
      [SEND, { ...text, uuid: "u".repeat(51) }],
    ] as const;
    for (const [path, body] of bad) expect((await call("POST", path, body)).body.code).toBe(99992402);
    expect(fake.delivered).toHaveLength(0);
  });

  it("accepts only shared 2.0 cards", async () => {
    const send = (card: unknown) =>
      call("POST", SEND, { receive_id: "oc_a", msg_type: "interactive", content: JSON.stringify(card) });
    expect((await send({ elements: [] })).body.code).toBe(99992402);
    expect((await send({ schema: "2.0", body: { elements: [] } })).body.code).toBe(99992402);
    expect(
      (await send({ schema: "2.0", config: { update_multi: true }, body: { elements: [] } })).body.code,
    ).toBe(0);
  });

  it("delivers a uuid once and answers repeats with the first message id", async () => {
    const first = await call("POST", SEND, { ...text, uuid: "same-uuid" });
    const again = await call("POST", SEND, { ...text, uuid: "same-uuid" });
    expect(again.body.data?.message_id).toBe(first.body.data?.message_id);
    expect(fake.delivered).toHaveLength(1);
  });

  it("refuses to PATCH a message that is not a card, and card tokens after two uses", async () => {
    const sent = await call("POST", SEND, text);
    const card = { schema: "2.0", config: { update_multi: true }, body: { elements: [] } };
    const patch = await call("PATCH", `/open-apis/im/v1/messages/${sent.body.data?.message_id}`, {
      content: JSON.stringify(card),
    });
    expect(patch.body.code).toBe(230001);
    const update = () => call("POST", "/open-apis/interactive/v1/card/update", { token: "c-twice", card });
    expect([(await update()).body.code, (await update()).body.code, (await update()).body.code]).toEqual([
      0, 0, 99992402,
    ]);
  });
});
