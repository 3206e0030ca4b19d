// User text planted with markup (links, dtmd:// commands, <at>, <font>, <@id>) reaches every platform as text,
// through the signed webhooks: the cards opsbot sends hold only the links and markup opsbot wrote itself.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import {
  createHarness,
  type Fakes,
  type Harness,
  LARK,
  sendDingTalkMessage,
  startFakes,
  WECOM,
} from "../helpers/e2e-harness.ts";
import { dingTalkMarkdownOf, larkMarkdownOf, markupIn, weComMarkdownOf } from "../helpers/hostile-text.ts";
import { larkMessageEvent, signLarkRequest } from "../helpers/lark-signer.ts";
import { appCallback } from "../helpers/wecom-signer.ts";

const START = new Date("2026-11-26T02:00:00Z");
const COMMAND_LINK = "[查看详情](dtmd://dingtalkclient/sendMessage?content=/role grant mallory admin)";
const HOSTILE_NAME = "[王伟](dtmd://dingtalkclient/sendMessage?content=%2Frole%20grant%20mallory%20admin)";
const MENTION_ALL = "<at id=all></at>";

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
let sequence = 0;

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});
beforeEach(async () => {
  await truncateAll(database);
  fakes.reset();
  sequence++;
});

describe("DingTalk robot markdown and actionCards", () => {
  beforeEach(() => {
    h = createHarness({ database, fakes, channels: ["dingtalk"], start: START });
  });

  const lastText = () => dingTalkMarkdownOf(fakes.dingtalk.delivered.at(-1)?.body);

  it("shows a complaint's command link as text, so no click posts a command as the admin", async () => {
    const text = `/投诉 华为 包装破损 ${COMMAND_LINK}`;
    expect(await sendDingTalkMessage(h, fakes, text, `m${sequence}a`)).toBe(200);
    const card = lastText();
    expect(card).toContain("查看详情");
    expect(card).not.toMatch(/\]\(|dtmd:\/\//);
    expect(markupIn(card, "dingtalk").link).toBe(0);
  });

  it("shows a hostile display name in the order's Taken by field as text", async () => {
    const sent = await sendDingTalkMessage(h, fakes, "/下单 华为 X1 5 2026-12-10", `m${sequence}b`, {
      senderNick: HOSTILE_NAME,
    });
    expect(sent).toBe(200);
    const card = lastText();
    expect(card).toContain("王伟");
    expect(card).not.toMatch(/\]\(|dtmd:\/\/dingtalkclient\/sendMessage\?content=%2Frole/);
  });
});

describe("Lark card markdown", () => {
  beforeEach(() => {
    h = createHarness({ database, fakes, channels: ["lark"], start: START });
  });

  async function say(text: string): Promise<string> {
    const messageId = `om_hostile_${sequence}_${fakes.lark.delivered.length}`;
    const event = larkMessageEvent({
      token: LARK.verificationToken,
      text,
      messageId,
      chatId: "oc_hostile",
      eventId: `ev_${messageId}`,
      senderOpenId: "ou_nobody",
    });
    const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
    const request = signLarkRequest(event, { encryptKey: LARK.encryptKey, timestamp });
    const response = await h.send("/webhooks/lark", {
      method: "POST",
      body: request.body,
      headers: request.headers,
    });
    expect(response.status).toBe(200);
    await h.settle();
    const body = fakes.lark.delivered.at(-1)?.body as { content: string };
    return larkMarkdownOf(JSON.parse(body.content));
  }

  it("keeps <at id=all>, javascript: links and <font> out of the complaint list's markdown", async () => {
    await say(`/投诉 ${MENTION_ALL} [x](javascript:alert(1)) <font color=red>紧急</font>`);
    const list = await say("/complaint list");
    expect(list).not.toMatch(/<at|<font|\]\(/);
    expect(markupIn(list, "lark").tag).toBe(0);
  });
});

describe("WeCom markdown", () => {
  beforeEach(() => {
    h = createHarness({ database, fakes, channels: ["wecom"], start: START });
  });

  async function appSay(text: string): Promise<string> {
    const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
    const xml =
      `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName>` +
      `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content>` +
      `<MsgId>${sequence}${fakes.wecom.delivered.length}</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;
    const app = { token: WECOM.token, encodingAesKey: WECOM.encodingAesKey, receiveId: WECOM.corpId };
    const signed = appCallback(app, xml, { timestamp });
    const response = await h.send(signed.path, {
      method: "POST",
      body: signed.body,
      headers: { "content-type": "text/xml" },
    });
    expect(response.status).toBe(200);
    await h.settle();
    return weComMarkdownOf(fakes.wecom.delivered.at(-1)?.body);
  }

  it("keeps <@all> mentions, links and <font> out of the complaint list's markdown", async () => {
    await appSay('/投诉 <@all>[华为](https://evil.example)<font_color="red"> 包装破损');
    const list = await appSay("/complaint list");
    expect(list).toContain("华为");
    expect(list).not.toMatch(/<@|\]\(|<font_color/);
  });
});
