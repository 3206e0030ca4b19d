// Replays test/fixtures/<platform>/ (payloads shaped as each platform sends them) through the real routes.
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inspections } from "../../src/db/schema/index.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import { signDingTalk, signDingTalkCard } from "../helpers/dingtalk-signer.ts";
import {
  createHarness,
  DINGTALK,
  type Fakes,
  type Harness,
  LARK,
  startFakes,
  WECOM,
} from "../helpers/e2e-harness.ts";
import { signLarkRequest } from "../helpers/lark-signer.ts";
import {
  appCallback,
  botCallback,
  nodeDecrypt,
  verificationPath,
  type WeComSecrets,
} from "../helpers/wecom-signer.ts";

type Json = Record<string, unknown>;

const FIXTURES = new URL("../fixtures/", import.meta.url);

/** Each fixture file this suite replays, by platform folder; a file not listed fails the last test. */
const REPLAYED: Record<string, string[]> = {
  lark: [
    "message-command-en.json",
    "message-command-zh.json",
    "message-group-mention.json",
    "card-action-button.json",
    "card-action-form-submit.json",
    "url-verification.json",
    "event-bot-added.json",
    "message-image.json",
  ],
  dingtalk: [
    "robot-command-en.json",
    "robot-command-zh.json",
    "robot-group-mention.json",
    "card-callback-button.json",
    "card-callback-form-submit.json",
    "robot-picture.json",
  ],
  wecom: [
    "app-command-en.xml",
    "app-command-zh.xml",
    "app-template-card-event.xml",
    "app-enter-agent-event.xml",
    "url-verification.json",
    "bot-command-direct.json",
    "bot-group-mention.json",
    "bot-template-card-event.json",
    "bot-enter-chat-event.json",
  ],
};

const fixtureText = (platform: string, name: string) =>
  readFileSync(new URL(`${platform}/${name}`, FIXTURES), "utf8");
const fixtureJson = (platform: string, name: string) => JSON.parse(fixtureText(platform, name)) as Json;

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});
// A failed test must not leave background work running into the next one.
afterEach(() => h.settle());
beforeEach(async () => {
  await truncateAll(database);
  fakes.reset();
  h = createHarness({ database, fakes, channels: ["lark", "dingtalkCards", "wecom", "wecomBot"] });
});

/** Nothing was kept and nothing went out: the event was acknowledged and ignored. */
async function expectIgnored() {
  await h.settle();
  expect(await h.counts()).toMatchObject({ inbox: 0, outbox: 0 });
  expect([...fakes.lark.delivered, ...fakes.dingtalk.delivered, ...fakes.wecom.delivered]).toEqual([]);
}

const storedInspections = async () => (await database.db.select().from(inspections)).map((row) => row.number);

// ---- Lark: the fixtures carry a stand-in Verification Token; the replay puts in the test app's.

function larkPayload(name: string): Json {
  const payload = fixtureJson("lark", name);
  if (payload.schema === "2.0") (payload.header as Json).token = LARK.verificationToken;
  else payload.token = LARK.verificationToken;
  return payload;
}

/** Encrypted and signed with the test app's Encrypt Key, as Lark posts an event. */
function larkPost(name: string) {
  const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
  const { body, headers } = signLarkRequest(larkPayload(name), { encryptKey: LARK.encryptKey, timestamp });
  return h.send("/webhooks/lark", { method: "POST", body, headers });
}

/** The one delivery at the fake Lark, with its card parsed. */
async function larkReply() {
  await h.settle();
  expect(fakes.lark.delivered).toHaveLength(1);
  const [delivery] = fakes.lark.delivered;
  const body = delivery?.body as { msg_type: string; content: string };
  return { path: delivery?.path, msgType: body.msg_type, card: JSON.parse(body.content) as Json };
}

const larkTitle = (card: Json | undefined) =>
  (card?.header as { title?: { content?: string } } | undefined)?.title?.content;

describe("Lark fixtures", () => {
  it.each([
    ["message-command-en.json", "om_fixture_command_en_0001", "Commands"],
    ["message-command-zh.json", "om_fixture_command_zh_0001", "命令列表"],
    ["message-group-mention.json", "om_fixture_group_mention_0001", "命令列表"],
  ])("%s: acked with {} and answered with a reply to that message", async (name, messageId, title) => {
    const response = await larkPost(name);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    const reply = await larkReply();
    expect(reply.path).toBe(`/open-apis/im/v1/messages/${messageId}/reply`);
    expect(reply.msgType).toBe("interactive");
    expect(larkTitle(reply.card)).toBe(title);
  });

  it("card-action-button.json: the callback answer carries the card redrawn in English", async () => {
    const response = await larkPost("card-action-button.json");
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { card?: { type: string; data: Json } };
    expect(answer.card?.type).toBe("raw");
    expect(larkTitle(answer.card?.data)).toBe("Commands");
  });

  it("card-action-form-submit.json: the form's values make an inspection; the answer is its summary card", async () => {
    const response = await larkPost("card-action-form-submit.json");
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { card?: { data: Json } };
    const [number] = await storedInspections();
    expect(number).toMatch(/^I-\d{8}-001$/);
    expect(larkTitle(answer.card?.data)).toBe(`巡检 ${number} · 仓库`);
  });

  it.each([
    ["plain", { encrypt: false }],
    ["encrypted", { encrypt: true }],
  ])("url-verification.json, %s and unsigned as Lark sends it: the challenge is echoed", async (_, how) => {
    const { body, headers } = signLarkRequest(larkPayload("url-verification.json"), {
      encryptKey: LARK.encryptKey,
      encrypt: how.encrypt,
      unsigned: true,
    });
    expect(JSON.parse(body).encrypt !== undefined).toBe(how.encrypt);
    const response = await h.send("/webhooks/lark", { method: "POST", body, headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: "fixture-challenge-7f3a9c2e" });
    await expectIgnored();
  });

  it.each(["event-bot-added.json", "message-image.json"])("%s: acked with 200 and ignored", async (name) => {
    const response = await larkPost(name);
    expect(response.status).toBe(200);
    await expectIgnored();
  });
});

// ---- DingTalk: the replay points the session webhook at the fake and stamps the times of the replay.

async function dingtalkRobotPost(name: string) {
  const now = h.clock.now().getTime();
  const body = fixtureJson("dingtalk", name);
  Object.assign(body, {
    createAt: now,
    sessionWebhook: fakes.dingtalk.sessionWebhookUrl(`fixture-${name}`),
    sessionWebhookExpiredTime: now + 5_400_000,
  });
  return h.send("/webhooks/dingtalk", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...signDingTalk(now, DINGTALK.clientSecret) },
  });
}

/** The fixture's bytes as they are, with the x-ddpaas-signature headers of the test app's callback secret. */
async function dingtalkCardPost(name: string) {
  const timestamp = String(h.clock.now().getTime());
  const response = await h.send("/webhooks/dingtalk/cards", {
    method: "POST",
    body: fixtureText("dingtalk", name),
    headers: {
      "content-type": "application/json",
      ...signDingTalkCard(timestamp, DINGTALK.cardCallbackSecret),
    },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { cardData?: { cardParamMap: Record<string, string> } };
}

describe("DingTalk fixtures", () => {
  it.each([
    ["robot-command-en.json", "Commands"],
    ["robot-command-zh.json", "命令列表"],
    ["robot-group-mention.json", "命令列表"],
  ])("%s: acked and answered with the help card in that chat", async (name, title) => {
    const response = await dingtalkRobotPost(name);
    expect(response.status).toBe(200);
    await h.settle();
    // The whole command list is over a card template's 1 KB per value: it goes as an actionCard.
    expect(fakes.dingtalk.delivered.map((delivery) => delivery.path)).toEqual([
      `/robot/sendBySession?session=fixture-${name}`,
    ]);
    expect(fakes.dingtalk.delivered[0]?.body).toMatchObject({ msgtype: "actionCard", actionCard: { title } });
    expect(await h.outboxRows()).toMatchObject([{ status: "sent" }]);
  });

  it("card-callback-button.json: the callback answer carries the card data redrawn in English", async () => {
    const answer = await dingtalkCardPost("card-callback-button.json");
    expect(answer.cardData?.cardParamMap.title).toBe("/help · /帮助");
  });

  it("card-callback-form-submit.json: the inputs make an inspection; the answer is its summary card", async () => {
    const answer = await dingtalkCardPost("card-callback-form-submit.json");
    const [number] = await storedInspections();
    expect(number).toMatch(/^I-\d{8}-001$/);
    expect(answer.cardData?.cardParamMap.title).toBe(`巡检 ${number} · 生产车间`);
  });

  it("robot-picture.json: acked with 200 and ignored", async () => {
    const response = await dingtalkRobotPost("robot-picture.json");
    expect(response.status).toBe(200);
    await expectIgnored();
  });
});

// ---- WeCom: the app's XML and the robot's JSON are encrypted and signed as WeCom does; the robot's
// response_url is pointed at the fake.

const WECOM_APP: WeComSecrets = {
  token: WECOM.token,
  encodingAesKey: WECOM.encodingAesKey,
  receiveId: WECOM.corpId,
};
const WECOM_BOT: WeComSecrets = {
  token: WECOM.botToken,
  encodingAesKey: WECOM.botEncodingAesKey,
  receiveId: "",
};
const wecomTimestamp = () => String(Math.floor(h.clock.now().getTime() / 1000));

function wecomAppPost(name: string) {
  const signed = appCallback(WECOM_APP, fixtureText("wecom", name), { timestamp: wecomTimestamp() });
  return h.send(signed.path, { method: "POST", body: signed.body, headers: { "content-type": "text/xml" } });
}

function wecomBotPost(name: string) {
  const payload = { ...fixtureJson("wecom", name), response_url: fakes.wecom.responseUrl() };
  const signed = botCallback(WECOM_BOT, payload, { timestamp: wecomTimestamp() });
  return h.send(signed.path, {
    method: "POST",
    body: signed.body,
    headers: { "content-type": "application/json" },
  });
}

const wecomPaths = () => fakes.wecom.delivered.map((delivery) => delivery.path.replace(/\?.*$/, ""));
const wecomCardTitle = (body: unknown) =>
  (body as { template_card?: { main_title?: { title?: string } } }).template_card?.main_title?.title;

describe("WeCom fixtures", () => {
  it.each([
    ["app-command-en.xml", "Commands"],
    ["app-command-zh.xml", "命令列表"],
  ])("%s: acked with an empty 200, answered by message/send", async (name, title) => {
    const response = await wecomAppPost(name);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    await h.settle();
    expect(wecomPaths()).toEqual(["/cgi-bin/message/send"]);
    expect(fakes.wecom.delivered[0]?.body).toMatchObject({
      touser: "fixture.zhou",
      msgtype: "template_card",
    });
    expect(wecomCardTitle(fakes.wecom.delivered[0]?.body)).toBe(title);
  });

  it("app-template-card-event.xml: acked empty, then update_template_card with the click's ResponseCode", async () => {
    const response = await wecomAppPost("app-template-card-event.xml");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    await h.settle();
    expect(wecomPaths()).toEqual(["/cgi-bin/message/update_template_card"]);
    const update = fakes.wecom.delivered[0]?.body;
    expect(update).toMatchObject({ userids: ["fixture.zhou"], response_code: "fixture-response-code-0001" });
    expect(wecomCardTitle(update)).toBe("Commands");
  });

  it.each([
    ["/webhooks/wecom", WECOM_APP],
    ["/webhooks/wecom/bot", WECOM_BOT],
  ])("url-verification.json: GET %s answers the decrypted echostr", async (path, secrets) => {
    const { plaintext, query } = fixtureJson("wecom", "url-verification.json") as {
      plaintext: string;
      query: { nonce: string };
    };
    const signed = verificationPath(secrets, plaintext, {
      path,
      timestamp: wecomTimestamp(),
      nonce: query.nonce,
    });
    const response = await h.send(signed.path);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(plaintext);
    await expectIgnored();
  });

  it.each([
    ["bot-command-direct.json", "Commands"],
    ["bot-group-mention.json", "命令列表"],
  ])("%s: acked with an empty 200, answered through the response_url", async (name, title) => {
    const response = await wecomBotPost(name);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    await h.settle();
    expect(wecomPaths()).toEqual(["/cgi-bin/aibot/response"]);
    expect(wecomCardTitle(fakes.wecom.delivered[0]?.body)).toBe(title);
  });

  it("bot-template-card-event.json: the encrypted passive reply carries the card redrawn in English", async () => {
    const response = await wecomBotPost("bot-template-card-event.json");
    expect(response.status).toBe(200);
    const sealed = (await response.json()) as { encrypt: string };
    const reply = JSON.parse(nodeDecrypt(WECOM.botEncodingAesKey, sealed.encrypt).message) as Json;
    expect(reply.response_type).toBe("update_template_card");
    expect(wecomCardTitle(reply)).toBe("Commands");
  });

  it.each([
    ["app-enter-agent-event.xml", wecomAppPost],
    ["bot-enter-chat-event.json", wecomBotPost],
  ])("%s: acked with 200 and ignored", async (name, post) => {
    const response = await post(name);
    expect(response.status).toBe(200);
    await expectIgnored();
  });
});

describe("the fixture folder", () => {
  it("holds only fixtures this suite replays", () => {
    for (const [platform, names] of Object.entries(REPLAYED)) {
      const files = readdirSync(new URL(`${platform}/`, FIXTURES)).sort();
      expect(files, platform).toEqual([...names].sort());
    }
    const platforms = readdirSync(FIXTURES, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(platforms.map((entry) => entry.name).sort()).toEqual(Object.keys(REPLAYED).sort());
  });
});
