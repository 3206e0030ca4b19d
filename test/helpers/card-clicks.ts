// The moves an area's end-to-end file makes with cards on each platform: read a card's buttons, click one (with
// form values for a submit), and say something in a WeCom app chat or robot group. Each goes through the signed
// webhook as the platform sends it.
import { expect } from "vitest";
import { dingtalkCardCallback, signDingTalkCard } from "./dingtalk-signer.ts";
import type { AreaTest } from "./e2e-area.ts";
import { DINGTALK, LARK, sendWeComBotMessage, WECOM } from "./e2e-harness.ts";
import { larkCardAction, signLarkRequest } from "./lark-signer.ts";
import { appCallback } from "./wecom-signer.ts";

type Json = Record<string, unknown>;

export interface LarkButton {
  label: string;
  value: Json;
}

/** Every button of a Lark card 2.0, with the value it carries. */
export function larkButtons(node: unknown): LarkButton[] {
  if (Array.isArray(node)) return node.flatMap(larkButtons);
  if (typeof node !== "object" || node === null) return [];
  const element = node as Json;
  if (element.tag === "button") {
    const behaviors = element.behaviors as { value: Json }[];
    return [{ label: (element.text as { content: string }).content, value: behaviors[0]?.value ?? {} }];
  }
  return Object.values(element).flatMap(larkButtons);
}

/** The card the fake Lark received last, as sent. */
export function lastLarkCard(area: AreaTest): Json {
  const body = area.fakes.lark.delivered.at(-1)?.body as { content: string };
  return JSON.parse(body.content) as Json;
}

/** Clicks the button labelled `label` of `card` as `operator`; returns Lark's answer: its toast and new card. */
export async function larkClick(
  area: AreaTest,
  card: Json,
  label: string,
  options: { operator: string; chatId: string; form?: Json },
): Promise<{ toast: string | undefined; card: Json }> {
  const button = larkButtons(card).find((candidate) => candidate.label === label);
  expect(button, `a button "${label}"`).toBeDefined();
  const action = larkCardAction({
    token: LARK.verificationToken,
    value: button?.value,
    eventId: `ev_${area.messageId(`click_${area.h.clock.now().getTime()}`)}`,
    chatId: options.chatId,
    operatorOpenId: options.operator,
    ...(options.form && { formValue: options.form }),
  });
  const timestamp = String(Math.floor(area.h.clock.now().getTime() / 1000));
  const signed = signLarkRequest(action, { encryptKey: LARK.encryptKey, timestamp });
  const response = await area.h.send("/webhooks/lark", { method: "POST", ...signed });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { toast?: { content: string }; card?: { data: Json } };
  await area.h.settle();
  return { toast: answer.toast?.content, card: answer.card?.data ?? {} };
}

export type DingTalkButton = { text: string; action: string; value: string };

/** The buttons of a DingTalk template card's parameters. */
export const dingtalkButtons = (params: Record<string, string> | undefined): DingTalkButton[] =>
  JSON.parse(params?.buttons ?? "[]") as DingTalkButton[];

/** The template card the last DingTalk delivery created. */
export function lastDingTalkCard(area: AreaTest): { outTrackId: string; params: Record<string, string> } {
  const { outTrackId } = (area.fakes.dingtalk.delivered.at(-1)?.body ?? {}) as { outTrackId: string };
  return { outTrackId, params: area.fakes.dingtalk.cards.get(outTrackId)?.cardParamMap ?? {} };
}

/** Clicks a DingTalk template card's button through the signed card callback; returns the card's new parameters. */
export async function dingtalkClick(
  area: AreaTest,
  card: { outTrackId: string; params: Record<string, string> | undefined },
  text: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string> | undefined> {
  const button = dingtalkButtons(card.params).find((candidate) => candidate.text === text);
  expect(button, `a button "${text}"`).toBeDefined();
  const timestamp = String(area.h.clock.now().getTime());
  const response = await area.h.send("/webhooks/dingtalk/cards", {
    method: "POST",
    body: JSON.stringify(
      dingtalkCardCallback({
        outTrackId: card.outTrackId,
        params: { action: button?.action, value: button?.value, ...extra },
      }),
    ),
    headers: {
      "content-type": "application/json",
      ...signDingTalkCard(timestamp, DINGTALK.cardCallbackSecret),
    },
  });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { cardData?: { cardParamMap: Record<string, string> } };
  await area.h.settle();
  return answer.cardData?.cardParamMap;
}

export interface WeComTemplateCard {
  main_title: { title: string };
  button_list?: { text: string; key: string }[];
  task_id: string;
}

export const wecomLabels = (card: WeComTemplateCard | undefined) =>
  (card?.button_list ?? []).map((button) => button.text);

const APP = { token: WECOM.token, encodingAesKey: WECOM.encodingAesKey, receiveId: WECOM.corpId };
const _BOT = { token: WECOM.botToken, encodingAesKey: WECOM.botEncodingAesKey, receiveId: "" };

const wecomHeader = (user: string, timestamp: string) =>
  `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName>` +
  `<CreateTime>${timestamp}</CreateTime>`;

/** The template card of the WeCom message sent last. */
export const lastWeComCard = (area: AreaTest): WeComTemplateCard | undefined =>
  (area.fakes.wecom.delivered.at(-1)?.body as { template_card?: WeComTemplateCard } | undefined)
    ?.template_card;

/** A click on a WeCom app template card's button by `user`; returns the card as updated in place. */
export async function wecomAppClick(
  area: AreaTest,
  card: WeComTemplateCard,
  text: string,
  user: string,
): Promise<WeComTemplateCard> {
  const key = card.button_list?.find((button) => button.text === text)?.key;
  expect(key, `a button "${text}"`).toBeDefined();
  const timestamp = String(Math.floor(area.h.clock.now().getTime() / 1000));
  const xml =
    `${wecomHeader(user, timestamp)}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>` +
    `<EventKey><![CDATA[${key}]]></EventKey><TaskId><![CDATA[${card.task_id}]]></TaskId>` +
    `<CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[${area.messageId(`rc${text}`)}]]></ResponseCode>` +
    `<AgentID>${WECOM.agentId}</AgentID></xml>`;
  const signed = appCallback(APP, xml, { timestamp });
  const response = await area.h.send(signed.path, {
    method: "POST",
    body: signed.body,
    headers: { "content-type": "text/xml" },
  });
  expect(response.status).toBe(200);
  await area.h.settle();
  const update = area.fakes.wecom.delivered.at(-1);
  expect(update?.path.replace(/\?.*$/, "")).toBe("/cgi-bin/message/update_template_card");
  return (update?.body as Json | undefined)?.template_card as WeComTemplateCard;
}

/** A message from `user` in a WeCom group, to the group robot; resolves once its reply went out. */
export async function wecomBotSay(area: AreaTest, text: string, user: string, group: string): Promise<Json> {
  const msgId = area.messageId(`bot_${area.h.clock.now().getTime()}`);
  const status = await sendWeComBotMessage(area.h, area.fakes, text, msgId, { userId: user, chatId: group });
  expect(status).toBe(200);
  return area.fakes.wecom.delivered.at(-1)?.body as Json;
}
