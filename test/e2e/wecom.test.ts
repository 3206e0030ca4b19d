// WeCom end to end: signed, encrypted app (XML) and robot (JSON) callbacks → inbox → bot → outbox → the fake WeCom.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import { createHarness, type Fakes, type Harness, startFakes, WECOM } from "../helpers/e2e-harness.ts";
import {
  appCallback,
  botCallback,
  nodeDecrypt,
  nodeSignature,
  verificationPath,
  type WeComSecrets,
} from "../helpers/wecom-signer.ts";

type Json = Record<string, unknown>;

const APP: WeComSecrets = {
  token: WECOM.token,
  encodingAesKey: WECOM.encodingAesKey,
  receiveId: WECOM.corpId,
};
const BOT: WeComSecrets = { token: WECOM.botToken, encodingAesKey: WECOM.botEncodingAesKey, receiveId: "" };
const USER = "zhangsan";
const GROUP = "wrkSFfCgAAtMQKg4xqDatM5C9IDHFpTw";

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
/** The fake refuses a task_id used before (42014), as WeCom does: message ids differ per test. */
let testNumber = 0;
const msgId = (name: string) => `${name}${testNumber}`;

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
  testNumber++;
  h = createHarness({ database, fakes, channels: ["wecom", "wecomBot"] });
});

const timestamp = () => String(Math.floor(h.clock.now().getTime() / 1000));

function post(signed: { path: string; body: string }, contentType: string) {
  return h.send(signed.path, { method: "POST", body: signed.body, headers: { "content-type": contentType } });
}

const appText = (content: string, id: string) =>
  `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${USER}]]></FromUserName>` +
  `<CreateTime>${timestamp()}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
  `<Content><![CDATA[${content}]]></Content><MsgId>${id}</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;

const appCardClick = (eventKey: string, taskId: string, responseCode: string) =>
  `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${USER}]]></FromUserName>` +
  `<CreateTime>${timestamp()}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
  `<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${eventKey}]]></EventKey>` +
  `<TaskId><![CDATA[${taskId}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>` +
  `<ResponseCode><![CDATA[${responseCode}]]></ResponseCode><AgentID>${WECOM.agentId}</AgentID></xml>`;

const signedApp = (innerXml: string) => appCallback(APP, innerXml, { timestamp: timestamp() });
const postApp = (innerXml: string) => post(signedApp(innerXml), "text/xml");

const botBase = (id: string) => ({
  msgid: id,
  aibotid: "AIBOTID",
  chatid: GROUP,
  chattype: "group",
  from: { userid: USER },
  response_url: fakes.wecom.responseUrl(),
});

const botText = (content: string, id: string) => ({
  ...botBase(id),
  msgtype: "text",
  text: { content },
});

const botCardClick = (eventKey: string, taskId: string, id: string) => ({
  ...botBase(id),
  msgtype: "event",
  event: {
    eventtype: "template_card_event",
    template_card_event: { card_type: "button_interaction", event_key: eventKey, task_id: taskId },
  },
});

const signedBot = (payload: unknown) => botCallback(BOT, payload, { timestamp: timestamp() });
const postBot = (payload: unknown) => post(signedBot(payload), "application/json");

const deliveredPaths = () => fakes.wecom.delivered.map((delivery) => delivery.path.replace(/\?.*$/, ""));
const deliveredBody = (index: number) => fakes.wecom.delivered[index]?.body as Json;

interface TemplateCard {
  card_type: string;
  main_title: { title: string };
  button_list: { text: string; key: string }[];
  task_id: string;
}

const templateCardOf = (body: Json | undefined): TemplateCard => {
  expect(body?.msgtype ?? "template_card").toBe("template_card");
  return body?.template_card as TemplateCard;
};
const labels = (card: TemplateCard) => card.button_list.map((button) => button.text);

describe("WeCom app /help", () => {
  it.each([
    ["/help", "Commands", "中文"],
    ["/帮助", "命令列表", "English"],
  ])(
    "answers %s with message/send to the user: one help card in its language",
    async (text, title, other) => {
      const id = msgId("4561255354251345");
      const response = await postApp(appText(text, id));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
      expect(await h.inboxRows()).toHaveLength(1);

      await h.settle();
      expect(deliveredPaths()).toEqual(["/cgi-bin/message/send"]);
      const body = deliveredBody(0);
      expect(body).toMatchObject({ touser: USER, agentid: Number(WECOM.agentId), msgtype: "template_card" });
      const card = templateCardOf(body);
      expect(card.main_title.title).toBe(title);
      expect(labels(card)).toEqual([other]);

      expect(await h.inboxRows()).toMatchObject([{ dedupKey: `wecom:msg:${id}`, status: "done" }]);
      expect((await h.outboxRows()).map((row) => [row.idempotencyKey, row.status])).toEqual([
        [`reply:wecom:msg:${id}`, "sent"],
      ]);
    },
  );
});

describe("WeCom robot /help", () => {
  it("answers a group message through its response_url with the help card", async () => {
    const id = msgId("botmsg");
    const response = await postBot(botText("@opsbot /帮助", id));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    await h.settle();
    expect(deliveredPaths()).toEqual(["/cgi-bin/aibot/response"]);
    const card = templateCardOf(deliveredBody(0));
    expect(card.main_title.title).toBe("命令列表");
    expect(labels(card)).toEqual(["English"]);
    expect(await h.inboxRows()).toMatchObject([{ dedupKey: `wecom:bot:${id}`, status: "done" }]);
    expect(await h.outboxRows()).toMatchObject([{ status: "sent" }]);
  });
});

describe("WeCom URL verification", () => {
  it.each([
    ["/webhooks/wecom", APP],
    ["/webhooks/wecom/bot", BOT],
  ])("GET %s answers the decrypted echostr and stores nothing", async (path, secrets) => {
    const { path: signedPath } = verificationPath(secrets, "1616140317555161061", {
      path,
      timestamp: timestamp(),
    });
    const response = await h.send(signedPath);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("1616140317555161061");
    expect(await h.counts()).toMatchObject({ inbox: 0, outbox: 0 });
  });
});

describe("WeCom app help card button", () => {
  it("acks template_card_event with an empty 200, then update_template_card with the click's ResponseCode", async () => {
    await postApp(appText("/帮助", msgId("77001")));
    await h.settle();
    const chinese = templateCardOf(deliveredBody(0));

    const click = async (card: TemplateCard, responseCode: string) => {
      const response = await postApp(
        appCardClick(card.button_list[0]?.key ?? "", card.task_id, responseCode),
      );
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
      await h.settle();
      const update = fakes.wecom.delivered.at(-1);
      expect(update?.path.replace(/\?.*$/, "")).toBe("/cgi-bin/message/update_template_card");
      const body = update?.body as Json;
      expect(body).toMatchObject({ userids: [USER], response_code: responseCode });
      return templateCardOf(body);
    };

    const english = await click(chinese, `rc-click-a-${testNumber}`);
    expect(english.main_title.title).toBe("Commands");
    expect(labels(english)).toEqual(["中文"]);
    expect(english.task_id).toBe(chinese.task_id);
    const back = await click(english, `rc-click-b-${testNumber}`);
    expect(back.main_title.title).toBe("命令列表");
    expect(labels(back)).toEqual(["English"]);

    expect(deliveredPaths()).toEqual([
      "/cgi-bin/message/send",
      "/cgi-bin/message/update_template_card",
      "/cgi-bin/message/update_template_card",
    ]);
    expect((await h.inboxRows()).map((row) => row.status)).toEqual(["done", "done", "done"]);
  });
});

describe("WeCom robot help card button", () => {
  it("answers the click with the updated card in the encrypted passive reply", async () => {
    await postBot(botText("/帮助", msgId("botcard")));
    await h.settle();
    const chinese = templateCardOf(deliveredBody(0));

    const click = async (card: TemplateCard, id: string) => {
      const response = await postBot(botCardClick(card.button_list[0]?.key ?? "", card.task_id, id));
      expect(response.status).toBe(200);
      const sealed = (await response.json()) as {
        encrypt: string;
        msgsignature: string;
        timestamp: string;
        nonce: string;
      };
      expect(sealed.msgsignature).toBe(
        nodeSignature(WECOM.botToken, sealed.timestamp, sealed.nonce, sealed.encrypt),
      );
      const opened = nodeDecrypt(WECOM.botEncodingAesKey, sealed.encrypt);
      expect(opened.receiveId).toBe("");
      const reply = JSON.parse(opened.message) as { response_type: string; template_card: TemplateCard };
      expect(reply.response_type).toBe("update_template_card");
      return reply.template_card;
    };

    const english = await click(chinese, msgId("click-a"));
    expect(english.main_title.title).toBe("Commands");
    expect(labels(english)).toEqual(["中文"]);
    expect(english.task_id).toBe(chinese.task_id);
    const back = await click(english, msgId("click-b"));
    expect(back.main_title.title).toBe("命令列表");

    await h.settle();
    // The passive replies carried the cards: nothing more went out.
    expect(deliveredPaths()).toEqual(["/cgi-bin/aibot/response"]);
    expect(await h.outboxRows()).toHaveLength(1);
  });
});

describe("WeCom duplicates", () => {
  it("replies once to an app message delivered 3 times in a row and once to one delivered 3 times at once", async () => {
    const sequential = signedApp(appText("/help", msgId("8801")));
    for (let i = 0; i < 3; i++) expect((await post(sequential, "text/xml")).status).toBe(200);
    await h.settle();
    const concurrent = signedApp(appText("/help", msgId("8802")));
    const answers = await Promise.all([1, 2, 3].map(() => post(concurrent, "text/xml")));
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200]);
    await h.settle();
    expect(fakes.wecom.requests.filter((r) => r.path.startsWith("/cgi-bin/message/send"))).toHaveLength(2);
    expect(await h.inboxRows()).toHaveLength(2);
  });

  it("replies once to a robot message delivered 3 times in a row and once to one delivered 3 times at once", async () => {
    const sequential = signedBot(botText("/help", msgId("dupseq")));
    for (let i = 0; i < 3; i++) expect((await post(sequential, "application/json")).status).toBe(200);
    await h.settle();
    const concurrent = signedBot(botText("/help", msgId("duppar")));
    const answers = await Promise.all([1, 2, 3].map(() => post(concurrent, "application/json")));
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200]);
    await h.settle();
    expect(fakes.wecom.requests.filter((r) => r.path.startsWith("/cgi-bin/aibot/response"))).toHaveLength(2);
    expect(fakes.wecom.delivered).toHaveLength(2);
  });
});

describe("WeCom: every message gets an answer", () => {
  it.each([
    ["/foo", /unknown command: \/foo.*\/help/],
    ["/帮忙", /未知命令: \/帮忙.*\/帮助/],
    ["hello", /Commands start with \/\. Send \/help/],
  ])("answers app text %j with one text naming the mistake", async (text, expected) => {
    await postApp(appText(text, msgId("9901")));
    await h.settle();
    expect(deliveredPaths()).toEqual(["/cgi-bin/message/send"]);
    expect(deliveredBody(0)).toMatchObject({
      msgtype: "text",
      text: { content: expect.stringMatching(expected) },
    });
  });

  it.each([
    ["@opsbot /foo", /unknown command: \/foo.*\/help/],
    ["@opsbot", /Commands start with \/\. Send \/help/],
  ])("answers robot text %j through response_url as markdown", async (text, expected) => {
    await postBot(botText(text, msgId("oddbot")));
    await h.settle();
    expect(deliveredPaths()).toEqual(["/cgi-bin/aibot/response"]);
    expect(deliveredBody(0)).toMatchObject({
      msgtype: "markdown",
      markdown: { content: expect.stringMatching(expected) },
    });
  });

  it("answers /HELP with the English help card", async () => {
    await postApp(appText("/HELP", msgId("9902")));
    await h.settle();
    expect(templateCardOf(deliveredBody(0)).main_title.title).toBe("Commands");
  });
});

describe("WeCom outage", () => {
  it("retries an app reply through 429 and 500 on each drain once its time has come, and delivers it once", async () => {
    const send = "/cgi-bin/message/send";
    fakes.wecom.fail({ count: 1, status: 429, pathPrefix: send });
    fakes.wecom.fail({ count: 2, status: 500, pathPrefix: send });
    await postApp(appText("/help", msgId("6601")));
    await h.settle();
    expect(fakes.wecom.delivered).toHaveLength(0);
    expect((await h.inboxRows())[0]?.status).toBe("done");
    expect(await h.outboxRows()).toMatchObject([{ status: "pending", attempts: 1 }]);
    expect((await h.services.outbox.drain()).sent).toBe(0);

    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      h.clock.advance(60_000);
      outcomes.push(await h.services.outbox.drain());
    }
    expect(outcomes.map((counts) => [counts.sent, counts.retried])).toEqual([
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    expect(fakes.wecom.requests.filter((r) => r.path.startsWith(send)).map((r) => r.status)).toEqual([
      429, 500, 500, 200,
    ]);
    expect(deliveredPaths()).toEqual([send]);
    expect(await h.outboxRows()).toMatchObject([{ status: "sent", attempts: 4 }]);
  });
});
