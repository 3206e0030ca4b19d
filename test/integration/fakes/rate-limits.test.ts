// The fake Lark's optional send limits: 5 a second per chat and 50 per app, answered with Lark's own 429.
import { afterEach, describe, expect, it } from "vitest";
import { type FakeLark, startFakeLark } from "../../fakes/lark.ts";
import { LARK_RATE_LIMITS } from "../../fakes/rate-limits.ts";

const APP = { appId: "cli_limits", appSecret: "limits-secret" };
let fake: FakeLark | undefined;
let clock = 0;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function started(rateLimits = LARK_RATE_LIMITS): Promise<FakeLark> {
  clock = 1_000_000;
  fake = await startFakeLark({ ...APP, rateLimits, now: () => clock });
  return fake;
}

async function send(server: FakeLark, chat: string): Promise<{ status: number; body: unknown }> {
  const token = await fetch(`${server.url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app_id: APP.appId, app_secret: APP.appSecret }),
  }).then((response) => response.json() as Promise<{ tenant_access_token: string }>);
  const response = await fetch(`${server.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token.tenant_access_token}` },
    body: JSON.stringify({ receive_id: chat, msg_type: "text", content: JSON.stringify({ text: "hi" }) }),
  });
  return { status: response.status, body: await response.json() };
}

describe("fake Lark rate limits", () => {
  it("answers the 6th send to one chat within a second with 429 / 99991400, and accepts it a second later", async () => {
    const server = await started();
    for (let i = 0; i < 5; i++) expect((await send(server, "oc_one")).status).toBe(200);
    const refused = await send(server, "oc_one");
    expect(refused).toEqual({
      status: 429,
      body: { code: 99991400, msg: "request trigger frequency limit" },
    });
    expect((await send(server, "oc_other")).status).toBe(200);
    clock += 1000;
    expect((await send(server, "oc_one")).status).toBe(200);
    expect(server.delivered).toHaveLength(7);
    expect(server.requests.every((request) => request.at >= 1_000_000)).toBe(true);
  });

  it("counts 50 sends a second per app across chats", async () => {
    const server = await started();
    for (let i = 0; i < 50; i++) expect((await send(server, `oc_${i}`)).status).toBe(200);
    expect((await send(server, "oc_50")).status).toBe(429);
  });

  it("enforces nothing unless asked", async () => {
    const server = await started([]);
    for (let i = 0; i < 7; i++) expect((await send(server, "oc_one")).status).toBe(200);
  });
});
