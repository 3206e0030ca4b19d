// Inspections end to end through signed webhooks on Lark, DingTalk and WeCom: list, form, submit, alert fan-out.
import { asc, count } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PlatformId } from "../../src/chat/events.ts";
import { chats, inspections, subscriptions } from "../../src/db/schema/index.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import {
  dingtalkCardCallback,
  dingtalkRobotMessage,
  signDingTalk,
  signDingTalkCard,
} from "../helpers/dingtalk-signer.ts";
import {
  createHarness,
  DINGTALK,
  type Fakes,
  type Harness,
  LARK,
  startFakes,
  WECOM,
} from "../helpers/e2e-harness.ts";
import { larkCardAction, larkMessageEvent, signLarkRequest } from "../helpers/lark-signer.ts";
import { appCallback, type WeComSecrets } from "../helpers/wecom-signer.ts";

type Json = Record<string, unknown>;

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
/** The fakes keep message uuids, out-track ids and task ids across tests, as the platforms do. */
let testNumber = 0;
const unique = (name: string) => `${name}${testNumber}`;

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
  h = createHarness({ database, fakes, channels: ["lark", "dingtalkCards", "wecom"] });
});

const LARK_CHAT = "oc_e2e_floor";
const WECOM_USER = "zhangsan";
const WECOM_APP: WeComSecrets = {
  token: WECOM.token,
  encodingAesKey: WECOM.encodingAesKey,
  receiveId: WECOM.corpId,
};

/** Alert groups on all three platforms, as /subscribe alerts leaves them. */
async function subscribeAlertGroups(larkGroup = "oc_alerts"): Promise<string> {
  const webhookUrl = `${fakes.wecom.url}/cgi-bin/webhook/send?key=${fakes.wecom.webhookKey}`;
  const at = h.clock.now();
  const groups: [PlatformId, string, string | null][] = [
    ["lark", larkGroup, null],
    ["dingtalk", "cid_alerts", null],
    ["wecom", "wr_alerts", webhookUrl],
  ];
  for (const [platform, chatId, url] of groups) {
    await database.db
      .insert(chats)
      .values({ platform, chatId, kind: "group", webhookUrl: url, createdAt: at, updatedAt: at });
    await database.db.insert(subscriptions).values({ platform, chatId, topic: "alerts", createdAt: at });
  }
  return webhookUrl;
}

const storedNumbers = async () =>
  (await database.db.select().from(inspections).orderBy(asc(inspections.id))).map((row) => row.number);

// ---- Lark

function larkSigned(payload: unknown): RequestInit {
  const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
  const request = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp });
  return { method: "POST", body: request.body, headers: request.headers };
}

const larkSay = (text: string, messageId: string) =>
  h.send(
    "/webhooks/lark",
    larkSigned(
      larkMessageEvent({
        token: LARK.verificationToken,
        text,
        messageId,
        chatId: LARK_CHAT,
        eventId: `ev_${messageId}`,
      }),
    ),
  );

/** Every button of a Card JSON 2.0 with its callback value. */
function larkButtons(node: unknown): { label: string; value: Json }[] {
  if (Array.isArray(node)) return node.flatMap(larkButtons);
  if (typeof node !== "object" || node === null) return [];
  const element = node as Json;
  if (element.tag === "button") {
    const behaviors = element.behaviors as { value: Json }[];
    return [{ label: (element.text as { content: string }).content, value: behaviors[0]?.value ?? {} }];
  }
  return Object.values(element).flatMap(larkButtons);
}

const larkTitle = (card: Json): string => (card.header as { title: { content: string } }).title.content;

function larkDeliveries() {
  return fakes.lark.delivered.map((delivery) => {
    const body = delivery.body as { receive_id?: string; content: string };
    return { path: delivery.path, receiveId: body.receive_id, content: JSON.parse(body.content) as Json };
  });
}

describe("Lark", () => {
  it("lists the areas, opens the form from a button, submits findings and alerts all three platforms once", async () => {
    // The floor group is also an alert group, so it gets one alert: the harness's clock stands still, and
    // the outbox would pace a second Lark send in the same fan-out 20 ms later on that clock.
    const webhookUrl = await subscribeAlertGroups(LARK_CHAT);
    await larkSay("/巡检", unique("om_list"));
    await h.settle();
    const [list] = larkDeliveries();
    expect(larkTitle(list?.content ?? {})).toBe("巡检区域");
    const buttons = larkButtons(list?.content);
    expect(buttons.map((button) => button.label)).toEqual(["仓库", "生产车间", "办公区"]);

    const click = async (payload: Json) => {
      const response = await h.send("/webhooks/lark", larkSigned(payload));
      expect(response.status).toBe(200);
      return (await response.json()) as { card?: { data: Json }; toast?: { type: string; content: string } };
    };
    const base = { token: LARK.verificationToken, chatId: LARK_CHAT, messageId: "om_list_card" };
    const form = (
      await click(larkCardAction({ ...base, value: buttons[0]?.value, eventId: unique("ev_open") }))
    ).card?.data;
    expect(larkTitle(form ?? {})).toBe("巡检: 仓库");
    expect(JSON.stringify(form)).toContain("温度 (°C, 18–26)");
    const [submit] = larkButtons(form);
    expect(submit?.value).toMatchObject({ action: "inspection.submit", id: "warehouse" });

    const submission = larkCardAction({
      ...base,
      value: submit?.value,
      eventId: unique("ev_submit"),
      formValue: {
        temperature: "31",
        humidity: "50",
        fire_extinguisher: "fail",
        exits_clear: "pass",
        stacking_safe: "pass",
      },
    });
    const answer = await click(submission);
    await h.settle();
    const [number] = await storedNumbers();
    expect(number).toMatch(/^I-\d{8}-001$/);
    // The summary replaces the form: in the callback answer, or (when the alerts made it late) by an update.
    const summary =
      answer.card?.data ??
      larkDeliveries().find((delivery) => delivery.path === "/open-apis/im/v1/messages/om_list_card")
        ?.content;
    expect(larkTitle(summary ?? {})).toBe(`巡检 ${number} · 仓库`);
    expect(JSON.stringify(summary)).toContain("✗ 温度: 31 °C (18–26 °C)");

    // The same callback again (a platform retry) is not processed a second time.
    expect((await h.send("/webhooks/lark", larkSigned(submission))).status).toBe(200);
    await h.settle();

    const alerts = larkDeliveries().filter((delivery) =>
      delivery.path.startsWith("/open-apis/im/v1/messages?"),
    );
    expect(alerts.map((alert) => alert.receiveId)).toEqual([LARK_CHAT]);
    expect(larkTitle(alerts[0]?.content ?? {})).toBe(`巡检发现问题: 仓库 ${number}`);
    const dingtalkAlerts = fakes.dingtalk.delivered.filter((delivery) =>
      JSON.stringify(delivery.body).includes(`${number}`),
    );
    expect(dingtalkAlerts).toHaveLength(1);
    expect(JSON.stringify(dingtalkAlerts[0]?.body)).toContain("cid_alerts");
    const webhookAlerts = fakes.wecom.delivered.filter((delivery) =>
      delivery.path.startsWith("/cgi-bin/webhook/send"),
    );
    expect(webhookAlerts).toHaveLength(1);
    expect(`${fakes.wecom.url}${webhookAlerts[0]?.path}`).toBe(webhookUrl);
    expect(JSON.stringify(webhookAlerts[0]?.body)).toContain(number);

    expect(await storedNumbers()).toEqual([number]);
    const findingRows = (await h.outboxRows()).filter((row) => row.idempotencyKey.startsWith("finding:"));
    expect(findingRows.map((row) => [row.idempotencyKey, row.status]).sort()).toEqual(
      [
        [`finding:${number}:dingtalk:cid_alerts`, "sent"],
        [`finding:${number}:lark:${LARK_CHAT}`, "sent"],
        [`finding:${number}:wecom:wr_alerts`, "sent"],
      ].sort(),
    );
    expect(h.logLines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });
});

// ---- DingTalk (interactive-card template)

function dingtalkSay(text: string, msgId: string) {
  const now = h.clock.now().getTime();
  const body = dingtalkRobotMessage({
    text,
    msgId,
    createAt: now,
    conversationType: "2",
    overrides: {
      sessionWebhook: fakes.dingtalk.sessionWebhookUrl(`s-${msgId}`),
      sessionWebhookExpiredTime: now + 5_400_000,
    },
  });
  return h.send("/webhooks/dingtalk", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...signDingTalk(now, DINGTALK.clientSecret) },
  });
}

async function dingtalkCallback(outTrackId: string, params: Json) {
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
  return (await response.json()) as { cardData?: { cardParamMap: Record<string, string> } };
}

describe("DingTalk", () => {
  it("shows the form as a template card, refuses a bad reading and stores a clean submission without alerts", async () => {
    await subscribeAlertGroups();
    await dingtalkSay("/巡检 生产车间", unique("msg_form"));
    await h.settle();
    const delivery = fakes.dingtalk.delivered[0]?.body as { outTrackId: string };
    const params = fakes.dingtalk.cards.get(delivery.outTrackId)?.cardParamMap;
    expect(params?.title).toBe("巡检: 生产车间");
    const form = JSON.parse(params?.form ?? "{}") as {
      action: string;
      value: string;
      inputs: { name: string }[];
    };
    expect(form.inputs.map((input) => input.name)).toEqual([
      "temperature",
      "humidity",
      "machine_guards",
      "fire_extinguisher",
      "exits_clear",
      "first_aid_kit",
    ]);

    const values = {
      temperature: "20",
      humidity: "60",
      machine_guards: "pass",
      fire_extinguisher: "pass",
      exits_clear: "pass",
      first_aid_kit: "pass",
    };
    const refused = await dingtalkCallback(delivery.outTrackId, {
      action: form.action,
      value: form.value,
      ...values,
      humidity: "wet",
    });
    expect(refused.cardData).toBeUndefined();
    expect(await storedNumbers()).toEqual([]);

    h.clock.advance(1000);
    const answer = await dingtalkCallback(delivery.outTrackId, {
      action: form.action,
      value: form.value,
      ...values,
    });
    const [number] = await storedNumbers();
    expect(answer.cardData?.cardParamMap.title).toBe(`巡检 ${number} · 生产车间`);
    await h.settle();
    expect((await h.outboxRows()).filter((row) => row.idempotencyKey.startsWith("finding:"))).toEqual([]);
  });
});

// ---- WeCom (self-built app: typed submission)

const timestamp = () => String(Math.floor(h.clock.now().getTime() / 1000));

const appText = (content: string, id: string) =>
  `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${WECOM_USER}]]></FromUserName>` +
  `<CreateTime>${timestamp()}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
  `<Content><![CDATA[${content}]]></Content><MsgId>${id}</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;

const appCardClick = (eventKey: string, taskId: string, responseCode: string) =>
  `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${WECOM_USER}]]></FromUserName>` +
  `<CreateTime>${timestamp()}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
  `<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${eventKey}]]></EventKey>` +
  `<TaskId><![CDATA[${taskId}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>` +
  `<ResponseCode><![CDATA[${responseCode}]]></ResponseCode><AgentID>${WECOM.agentId}</AgentID></xml>`;

function wecomPost(innerXml: string) {
  const signed = appCallback(WECOM_APP, innerXml, { timestamp: timestamp() });
  return h.send(signed.path, { method: "POST", body: signed.body, headers: { "content-type": "text/xml" } });
}

describe("WeCom", () => {
  it("lists areas, opens the typed-form instructions from a button, and takes a typed submission", async () => {
    await subscribeAlertGroups();
    await wecomPost(appText("/巡检", unique("9100")));
    await h.settle();
    const list = (fakes.wecom.delivered[0]?.body as Json | undefined)?.template_card as {
      main_title: { title: string };
      button_list: { text: string; key: string }[];
      task_id: string;
    };
    expect(list.main_title.title).toBe("巡检区域");
    expect(list.button_list.map((button) => button.text)).toEqual(["仓库", "生产车间", "办公区"]);

    await wecomPost(appCardClick(list.button_list[2]?.key ?? "", list.task_id, unique("rc-open")));
    await h.settle();
    const opened = JSON.stringify(fakes.wecom.delivered.at(-1)?.body);
    expect(opened).toContain("巡检: 办公区");
    expect(opened).toContain("/巡检 办公区 <温度> <湿度> <灭火器在位> <安全出口畅通> <急救箱物品齐全>");

    await wecomPost(appText("/巡检 办公区 19 35 合格 合格 合格", unique("9200")));
    await h.settle();
    const [number] = await storedNumbers();
    const summary = fakes.wecom.delivered.find(
      (delivery) =>
        delivery.path.startsWith("/cgi-bin/message/send") &&
        JSON.stringify(delivery.body).includes(`巡检 ${number}`),
    );
    expect(JSON.stringify(summary?.body)).toContain(`巡检 ${number} · 办公区`);
    const findingKeys = (await h.outboxRows())
      .map((row) => row.idempotencyKey)
      .filter((key) => key.startsWith("finding:"))
      .sort();
    expect(findingKeys).toEqual(
      [
        `finding:${number}:dingtalk:cid_alerts`,
        `finding:${number}:lark:oc_alerts`,
        `finding:${number}:wecom:${WECOM_USER}`,
        `finding:${number}:wecom:wr_alerts`,
      ].sort(),
    );
    expect((await h.outboxRows()).every((row) => row.status === "sent")).toBe(true);
    const [{ total } = { total: 0 }] = await database.db.select({ total: count() }).from(inspections);
    expect(total).toBe(1);
  });
});
