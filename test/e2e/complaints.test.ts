// Complaints end to end on Lark, DingTalk and WeCom: signed webhooks → inbox → bot → outbox → the fake platforms.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlatformId } from "../../src/chat/events.ts";
import { grantRole, personForContact } from "../../src/domain/people/people.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import { dingtalkCardCallback, signDingTalkCard } from "../helpers/dingtalk-signer.ts";
import {
  type Channel,
  createHarness,
  DINGTALK,
  type Fakes,
  type Harness,
  LARK,
  sendDingTalkMessage,
  startFakes,
  WECOM,
} from "../helpers/e2e-harness.ts";
import { larkCardAction, larkMessageEvent, signLarkRequest } from "../helpers/lark-signer.ts";
import { appCallback, botCallback, nodeDecrypt } from "../helpers/wecom-signer.ts";

type Json = Record<string, unknown>;

/** Wed 2026-09-30 10:00 in Shanghai: the resolution falls due on the make-up Saturday 10-10 10:00. */
const RECEIVED = new Date("2026-09-30T02:00:00Z");
const NUMBER = "C-20260930-001";
const DUE = "2026-10-10 10:00 (周六)";

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
/** The fakes remember message ids, card ids and task ids across tests, as the platforms do. */
let testNumber = 0;
const unique = (name: string) => `${name}${testNumber}x`;

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
});

afterEach(() => {
  // A refusal is a reply, never a failure: no handler threw anything unexpected.
  expect(h.logLines.filter((line) => line.includes("handler.failed"))).toEqual([]);
});

function start(channels: Channel[]) {
  h = createHarness({ database, fakes, channels, start: RECEIVED });
}

/** A person known before their first message, holding `roles`. */
async function person(platform: PlatformId, userId: string, name: string, roles: Role[]) {
  const known = await personForContact(database.db, {
    platform,
    userId,
    name,
    bootstrapAdmin: false,
    now: h.clock.now(),
  });
  for (const role of roles)
    await grantRole(database.db, { personId: known.personId, role, by: null, now: h.clock.now() });
}

/** Every text a rendered card holds, for checks that do not depend on where each platform puts it. */
const flat = (value: unknown): string => JSON.stringify(value);

describe("Lark", () => {
  const CHAT = "oc_complaints";
  const AGENT = "ou_agent";

  beforeEach(async () => {
    start(["lark"]);
    await person("lark", AGENT, "李四", ["cs"]);
  });

  function signed(payload: unknown): RequestInit {
    const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
    const request = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp });
    return { method: "POST", body: request.body, headers: request.headers };
  }

  /** Sends a message and returns the one reply's content. */
  async function say(text: string, sender = AGENT): Promise<{ msgType: string; content: Json }> {
    const messageId = unique(`om_${fakes.lark.delivered.length}_`);
    const before = fakes.lark.delivered.length;
    const event = larkMessageEvent({
      token: LARK.verificationToken,
      text,
      messageId,
      chatId: CHAT,
      eventId: `ev_${messageId}`,
      senderOpenId: sender,
    });
    expect((await h.send("/webhooks/lark", signed(event))).status).toBe(200);
    await h.settle();
    expect(fakes.lark.delivered).toHaveLength(before + 1);
    const body = fakes.lark.delivered.at(-1)?.body as { msg_type: string; content: string };
    return { msgType: body.msg_type, content: JSON.parse(body.content) as Json };
  }

  interface Button {
    label: string;
    value: Json;
  }

  function buttonsOf(node: unknown): Button[] {
    if (Array.isArray(node)) return node.flatMap(buttonsOf);
    if (typeof node !== "object" || node === null) return [];
    const element = node as Json;
    if (element.tag === "button") {
      const behaviors = element.behaviors as { value: Json }[];
      return [{ label: (element.text as { content: string }).content, value: behaviors[0]?.value ?? {} }];
    }
    return Object.values(element).flatMap(buttonsOf);
  }
  const labels = (card: Json) => buttonsOf(card).map((button) => button.label);
  const find = (card: Json, label: string) => buttonsOf(card).find((button) => button.label === label);

  /** Clicks a button (with form values for a submit) and returns Lark's callback answer. */
  async function click(button: Button | undefined, formValue?: Json) {
    expect(button).toBeDefined();
    const eventId = unique(`ev_click_${h.clock.now().getTime()}_`);
    const action = larkCardAction({
      token: LARK.verificationToken,
      value: button?.value,
      eventId,
      chatId: CHAT,
      operatorOpenId: AGENT,
      ...(formValue && { formValue }),
    });
    const response = await h.send("/webhooks/lark", signed(action));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { toast?: { content: string }; card?: { data: Json } };
    await h.settle();
    return { toast: answer.toast?.content, card: answer.card?.data ?? {} };
  }

  it("opens a complaint, takes it, responds and resolves through the card, then rates and lists", async () => {
    const opened = await say("/投诉 华为 包装破损");
    expect(opened.msgType).toBe("interactive");
    expect(flat(opened.content)).toContain(`投诉 ${NUMBER}`);
    expect(flat(opened.content)).toContain(`${DUE} · 还剩 10 天`);
    expect(labels(opened.content)).toEqual(["认领", "回复", "解决"]);

    const taken = await click(find(opened.content, "认领"));
    expect(taken.toast).toBe(`已认领 ${NUMBER}`);
    expect(labels(taken.card)).toEqual(["回复", "解决"]);

    const form = await click(find(taken.card, "回复"));
    expect(labels(form.card)).toEqual(["提交回复", "返回"]);
    const responded = await click(find(form.card, "提交回复"), { text: "已致电客户" });
    expect(responded.toast).toBe("已记录首次回复");
    expect(flat(responded.card)).toContain("已致电客户");
    expect(labels(responded.card)).toEqual(["解决"]);

    const resolveForm = await click(find(responded.card, "解决"));
    const resolved = await click(find(resolveForm.card, "确认解决"), { text: "已补发两箱" });
    expect(flat(resolved.card)).toContain("已解决");
    expect(labels(resolved.card)).toEqual([]);

    // A stale button from the first card: who acted first, and the card as it stands.
    const stale = await click(find(opened.content, "回复"));
    expect(stale.toast).toBe(`投诉 ${NUMBER} 已由 李四 于 2026-09-30 10:00 解决`);
    expect(labels(stale.card)).toEqual([]);

    expect(flat((await say(`/评分 ${NUMBER} 5`)).content)).toContain("5/5");
    expect(flat((await say("/complaint list mine")).content)).toContain(NUMBER);
  });

  it("answers mistakes with a short text: unknown number, wrong role, bad score", async () => {
    await person("lark", "ou_clerk", "张三", []);
    await say("/投诉 华为 包装破损");
    expect((await say("/回复 C-20990101-001 你好")).content.text).toBe("找不到投诉 C-20990101-001");
    expect((await say(`/解决 ${NUMBER} 好了`, "ou_clerk")).content.text).toBe(
      "你没有权限使用 /解决 — 需要角色: 客服、经理 或 管理员",
    );
    expect((await say(`/complaint rate ${NUMBER} 9`)).content.text).toMatch(
      /^score must be between 1 and 5: 9 — usage: \/complaint rate/,
    );
    expect((await say(`/评分 ${NUMBER} 4`)).content.text).toBe(`投诉 ${NUMBER} 尚未解决, 解决后才能评分`);
    // The role comes from the command's spec, so /help tells who may respond before anyone is refused.
    expect(flat((await say("/帮助 回复")).content)).toContain("客服、经理 或 管理员");
  });
});

describe("DingTalk", () => {
  const STAFF = "manager4511";

  beforeEach(async () => {
    start(["dingtalkCards"]);
    await person("dingtalk", STAFF, "王伟", ["manager"]);
  });

  async function say(text: string) {
    const id = unique(`msg_${fakes.dingtalk.delivered.length}_`);
    expect(await sendDingTalkMessage(h, fakes, text, id)).toBe(200);
    return fakes.dingtalk.delivered.at(-1)?.body as Json;
  }

  type Button = { text: string; action: string; value: string };
  const buttonsOf = (params: Record<string, string> | undefined): Button[] =>
    JSON.parse(params?.buttons ?? "[]") as Button[];
  const find = (params: Record<string, string> | undefined, text: string) =>
    buttonsOf(params).find((button) => button.text === text);

  async function callback(outTrackId: string, params: Record<string, unknown>) {
    const timestamp = String(h.clock.now().getTime());
    const response = await h.send("/webhooks/dingtalk/cards", {
      method: "POST",
      body: JSON.stringify(dingtalkCardCallback({ outTrackId, params })),
      headers: {
        "content-type": "application/json",
        ...signDingTalkCard(timestamp, DINGTALK.cardCallbackSecret),
      },
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { cardData?: { cardParamMap: Record<string, string> } };
    await h.settle();
    return answer.cardData?.cardParamMap;
  }

  it("opens a complaint as a template card; Take, Respond (form) and Resolve (form) answer in the callback", async () => {
    const delivery = (await say(`/投诉 华为 包装破损`)) as { outTrackId: string };
    const card = fakes.dingtalk.cards.get(delivery.outTrackId)?.cardParamMap;
    expect(card?.title).toBe(`投诉 ${NUMBER}`);
    expect(card?.content).toContain(DUE);
    expect(buttonsOf(card).map((button) => button.text)).toEqual(["认领", "回复", "解决"]);

    const click = (button: Button | undefined, extra: Record<string, string> = {}) => {
      expect(button).toBeDefined();
      return callback(delivery.outTrackId, { action: button?.action, value: button?.value, ...extra });
    };
    const taken = await click(find(card, "认领"));
    expect(taken?.content).toContain("王伟");
    expect(buttonsOf(taken).map((button) => button.text)).toEqual(["回复", "解决"]);

    const form = await click(find(taken, "回复"));
    const spec = JSON.parse(form?.form ?? "{}") as { action: string; value: string };
    expect(spec.action).toBe("complaint.respond.submit");
    const responded = await callback(delivery.outTrackId, {
      action: spec.action,
      value: spec.value,
      text: "已联系",
    });
    expect(responded?.content).toContain("已联系");
    expect(buttonsOf(responded).map((button) => button.text)).toEqual(["解决"]);

    const resolveForm = await click(find(responded, "解决"));
    const resolveSpec = JSON.parse(resolveForm?.form ?? "{}") as { action: string; value: string };
    const resolved = await callback(delivery.outTrackId, {
      action: resolveSpec.action,
      value: resolveSpec.value,
      text: "已补发",
    });
    expect(resolved?.title).toBe(`投诉 ${NUMBER}`);
    expect(resolved?.tone).toBe("success");
    expect(buttonsOf(resolved)).toEqual([]);
  });

  it("respond, resolve, rate and list as commands; unknown numbers named", async () => {
    await say("/complaint new Acme broken seal");
    const responded = (await say(`/complaint respond ${NUMBER} called them`)) as { outTrackId: string };
    expect(fakes.dingtalk.cards.get(responded.outTrackId)?.cardParamMap.content).toContain("called them");
    await say(`/解决 ${NUMBER} 已处理`);
    const rated = (await say(`/评分 ${NUMBER} 4`)) as { outTrackId: string };
    expect(fakes.dingtalk.cards.get(rated.outTrackId)?.cardParamMap.content).toContain("4/5");
    const listed = (await say("/投诉列表 我的")) as { outTrackId: string };
    expect(fakes.dingtalk.cards.get(listed.outTrackId)?.cardParamMap.content).toContain(NUMBER);
    expect(flat(await say("/解决 C-20990101-001 好了"))).toContain("找不到投诉 C-20990101-001");
  });

  it("without a template, Take is a link that posts the action and the new card comes as a message", async () => {
    start(["dingtalk"]);
    const opened = (await say("/投诉 华为 包装破损")) as {
      actionCard: { btns: { title: string; actionURL: string }[] };
    };
    const take = opened.actionCard.btns.find((button) => button.title === "认领");
    const tapped = new URL(take?.actionURL ?? "").searchParams.get("content") ?? "";
    expect(tapped).toMatch(/^\/_ complaint\.take \S+$/);
    const after = (await say(tapped)) as { actionCard: { text: string; btns: { title: string }[] } };
    expect(after.actionCard.text).toContain("王伟");
    expect(after.actionCard.btns.map((button) => button.title)).toEqual(["回复", "解决"]);
  });
});

describe("WeCom", () => {
  const USER = "zhangsan";
  const GROUP = "wrkSFfCgAAtMQKg4xqDatM5C9IDHFpTw";
  const APP = { token: WECOM.token, encodingAesKey: WECOM.encodingAesKey, receiveId: WECOM.corpId };
  const BOT = { token: WECOM.botToken, encodingAesKey: WECOM.botEncodingAesKey, receiveId: "" };

  beforeEach(async () => {
    start(["wecom", "wecomBot"]);
    await person("wecom", USER, "张三", ["cs"]);
  });

  const timestamp = () => String(Math.floor(h.clock.now().getTime() / 1000));
  const post = (signed: { path: string; body: string }, contentType: string) =>
    h.send(signed.path, { method: "POST", body: signed.body, headers: { "content-type": contentType } });
  const header = () =>
    `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${USER}]]></FromUserName>` +
    `<CreateTime>${timestamp()}</CreateTime>`;

  interface TemplateCard {
    main_title: { title: string };
    sub_title_text?: string;
    button_list?: { text: string; key: string }[];
    task_id: string;
  }
  const labels = (card: TemplateCard) => (card.button_list ?? []).map((button) => button.text);
  const keyOf = (card: TemplateCard, text: string) =>
    card.button_list?.find((b) => b.text === text)?.key ?? "";

  async function appSay(text: string) {
    const xml = `${header()}<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${unique(String(fakes.wecom.delivered.length))}</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;
    expect((await post(appCallback(APP, xml, { timestamp: timestamp() }), "text/xml")).status).toBe(200);
    await h.settle();
    return fakes.wecom.delivered.at(-1)?.body as Json;
  }

  async function appClick(card: TemplateCard, text: string) {
    const xml =
      `${header()}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>` +
      `<EventKey><![CDATA[${keyOf(card, text)}]]></EventKey><TaskId><![CDATA[${card.task_id}]]></TaskId>` +
      `<CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[${unique(`rc${text}`)}]]></ResponseCode>` +
      `<AgentID>${WECOM.agentId}</AgentID></xml>`;
    expect((await post(appCallback(APP, xml, { timestamp: timestamp() }), "text/xml")).status).toBe(200);
    await h.settle();
    const update = fakes.wecom.delivered.at(-1);
    expect(update?.path.replace(/\?.*$/, "")).toBe("/cgi-bin/message/update_template_card");
    return (update?.body as Json | undefined)?.template_card as TemplateCard;
  }

  it("app: opens a complaint card, Take updates it in place, Respond asks for the command, which records it", async () => {
    const opened = (await appSay("/投诉 华为 包装破损")).template_card as TemplateCard;
    expect(opened.main_title.title).toBe(`投诉 ${NUMBER}`);
    expect(flat(opened)).toContain(DUE);
    expect(labels(opened)).toEqual(["认领", "回复", "解决"]);

    const taken = await appClick(opened, "认领");
    expect(flat(taken)).toContain("张三");
    expect(labels(taken)).toEqual(["回复", "解决"]);

    // WeCom cards have no text box: the form card says which command to type.
    const form = await appClick(taken, "回复");
    expect(flat(form)).toContain(`/回复 ${NUMBER} …`);
    const responded = (await appSay(`/回复 ${NUMBER} 已联系客户`)).template_card as TemplateCard;
    expect(labels(responded)).toEqual(["解决"]);
    // A card left without buttons goes as markdown on the app.
    const resolved = await appSay(`/解决 ${NUMBER} 已补发`);
    expect(resolved.msgtype).toBe("markdown");
    expect(flat(resolved)).toContain("已解决");
    expect(flat(await appSay(`/评分 ${NUMBER} 6`))).toContain("评分必须在 1 到 5 之间");
    expect(flat(await appSay(`/评分 ${NUMBER} 5`))).toContain("5/5");
    expect(flat(await appSay("/complaint list mine"))).toContain(NUMBER);
  });

  it("robot: a group complaint, and Take answered in the encrypted passive reply", async () => {
    const base = (id: string) => ({
      msgid: id,
      aibotid: "AIBOTID",
      chatid: GROUP,
      chattype: "group",
      from: { userid: USER },
      response_url: fakes.wecom.responseUrl(),
    });
    const sendBot = (payload: unknown) =>
      post(botCallback(BOT, payload, { timestamp: timestamp() }), "application/json");
    await sendBot({
      ...base(unique("botmsg")),
      msgtype: "text",
      text: { content: "@opsbot /投诉 华为 包装破损" },
    });
    await h.settle();
    const opened = (fakes.wecom.delivered.at(-1)?.body as Json | undefined)?.template_card as TemplateCard;
    expect(labels(opened)).toEqual(["认领", "回复", "解决"]);

    const response = await sendBot({
      ...base(unique("botclick")),
      msgtype: "event",
      event: {
        eventtype: "template_card_event",
        template_card_event: {
          card_type: "button_interaction",
          event_key: keyOf(opened, "认领"),
          task_id: opened.task_id,
        },
      },
    });
    const sealed = (await response.json()) as { encrypt: string };
    const reply = JSON.parse(nodeDecrypt(WECOM.botEncodingAesKey, sealed.encrypt).message) as {
      template_card: TemplateCard;
    };
    expect(flat(reply.template_card)).toContain("张三");
    expect(labels(reply.template_card)).toEqual(["回复", "解决"]);
    await h.settle();
  });
});
