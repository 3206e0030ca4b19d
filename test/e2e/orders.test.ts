// Orders end to end on Lark, DingTalk (card template) and the WeCom robot: signed webhooks in, cards out, clicks back.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, identities, orders } from "../../src/db/schema/index.ts";
import { grantRole, personForContact } from "../../src/domain/people/people.ts";
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
import { botCallback, nodeDecrypt } from "../helpers/wecom-signer.ts";

type Json = Record<string, unknown>;

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
/** Platforms remember message ids and card ids across tests (as the real ones do): ids differ per test. */
let testNumber = 0;
let sequence = 0;
const nextId = (prefix: string) => `${prefix}${testNumber}x${++sequence}`;

// Thursday 2026-11-26 10:00 in Shanghai.
const START = new Date("2026-11-26T02:00:00Z");

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
  h = createHarness({ database, fakes, channels: ["lark", "dingtalkCards", "wecomBot"], start: START });
});

/** What a test reads of a card on any platform: its title, its buttons, and all of its text. */
interface SeenCard {
  title: string;
  buttons: string[];
  text: string;
  /** Clicks the button with this label, as the user of that platform would; resolves with the redrawn card. */
  click(label: string): Promise<SeenCard>;
}

type Reply = { kind: "card"; card: SeenCard } | { kind: "text"; text: string };

interface Driver {
  platform: "lark" | "dingtalk" | "wecom";
  userId: string;
  chatId: string;
  say(text: string): Promise<Reply>;
}

const lark: Driver = {
  platform: "lark",
  userId: "ou_e2e_buyer",
  chatId: "oc_e2e_orders",
  async say(text) {
    const messageId = nextId("om_");
    const event = larkMessageEvent({
      token: LARK.verificationToken,
      text,
      messageId,
      chatId: this.chatId,
      senderOpenId: this.userId,
    });
    await h.send("/webhooks/lark", larkSigned(event));
    await h.settle();
    const delivery = fakes.lark.delivered.at(-1)?.body as { msg_type: string; content: string };
    const content = JSON.parse(delivery.content) as Json;
    if (delivery.msg_type === "text") return { kind: "text", text: content.text as string };
    const rows = await h.outboxRows();
    const cardMessageId = (rows.at(-1)?.result as { messageId: string } | undefined)?.messageId ?? "";
    return { kind: "card", card: larkCard(content, cardMessageId, this) };
  },
};

function larkSigned(payload: unknown): RequestInit {
  const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
  const request = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp });
  return { method: "POST", body: request.body, headers: request.headers };
}

function larkButtons(node: unknown): { label: string; value: Json }[] {
  if (Array.isArray(node)) return node.flatMap(larkButtons);
  if (typeof node !== "object" || node === null) return [];
  const element = node as Json;
  if (element.tag === "button" && Array.isArray(element.behaviors)) {
    const [behavior] = element.behaviors as { value: Json }[];
    return [{ label: (element.text as { content: string }).content, value: behavior?.value ?? {} }];
  }
  return Object.values(element).flatMap(larkButtons);
}

function larkCard(content: Json, messageId: string, driver: Driver, operator = driver.userId): SeenCard {
  const buttons = larkButtons(content);
  return {
    title: (content.header as { title: { content: string } }).title.content,
    buttons: buttons.map((button) => button.label),
    text: JSON.stringify(content),
    async click(label) {
      const button = buttons.find((candidate) => candidate.label === label);
      const action = larkCardAction({
        token: LARK.verificationToken,
        value: button?.value,
        eventId: nextId("ev_click_"),
        messageId,
        chatId: driver.chatId,
        operatorOpenId: operator,
      });
      const response = await h.send("/webhooks/lark", larkSigned(action));
      const answer = (await response.json()) as { card?: { data: Json }; toast?: { content: string } };
      await h.settle();
      return larkCard(answer.card?.data ?? {}, messageId, driver, operator);
    },
  };
}

const dingtalk: Driver = {
  platform: "dingtalk",
  userId: "manager4511",
  chatId: "cidLY0TRpE+Ka//RsguNtQnHw==",
  async say(text) {
    const now = h.clock.now().getTime();
    const msgId = nextId("msg_");
    const body = dingtalkRobotMessage({
      text,
      msgId,
      createAt: now,
      overrides: {
        sessionWebhook: fakes.dingtalk.sessionWebhookUrl(`s-${msgId}`),
        sessionWebhookExpiredTime: now + 5_400_000,
      },
    });
    await h.send("/webhooks/dingtalk", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...signDingTalk(now, DINGTALK.clientSecret) },
    });
    await h.settle();
    const delivery = fakes.dingtalk.delivered.at(-1);
    const sent = delivery?.body as Json;
    if (delivery?.path.startsWith("/robot/sendBySession")) {
      return { kind: "text", text: (sent.text as { content: string }).content };
    }
    const outTrackId = sent.outTrackId as string;
    return {
      kind: "card",
      card: dingtalkCard(fakes.dingtalk.cards.get(outTrackId)?.cardParamMap ?? {}, outTrackId),
    };
  },
};

function dingtalkCard(params: Record<string, string>, outTrackId: string): SeenCard {
  const buttons = JSON.parse(params.buttons || "[]") as { text: string; action: string; value: string }[];
  return {
    title: params.title ?? "",
    buttons: buttons.map((button) => button.text),
    text: JSON.stringify(params),
    async click(label) {
      const button = buttons.find((candidate) => candidate.text === label);
      const timestamp = String(h.clock.now().getTime());
      const response = await h.send("/webhooks/dingtalk/cards", {
        method: "POST",
        body: JSON.stringify(
          dingtalkCardCallback({ outTrackId, params: { action: button?.action, value: button?.value } }),
        ),
        headers: {
          "content-type": "application/json",
          ...signDingTalkCard(timestamp, DINGTALK.cardCallbackSecret),
        },
      });
      const answer = (await response.json()) as { cardData?: { cardParamMap: Record<string, string> } };
      await h.settle();
      return dingtalkCard(answer.cardData?.cardParamMap ?? {}, outTrackId);
    },
  };
}

const WECOM_BOT = { token: WECOM.botToken, encodingAesKey: WECOM.botEncodingAesKey, receiveId: "" };

interface TemplateCard {
  main_title: { title: string };
  button_list?: { text: string; key: string }[];
  task_id: string;
}

const wecom: Driver = {
  platform: "wecom",
  userId: "zhangsan",
  chatId: "wrkSFfCgAAtMQKg4xqDatM5C9IDHFpTw",
  async say(text) {
    await postWeComBot({ ...wecomBase(this), msgtype: "text", text: { content: `@opsbot ${text}` } });
    await h.settle();
    const body = fakes.wecom.delivered.at(-1)?.body as Json;
    if (body.msgtype !== "markdown")
      return { kind: "card", card: wecomCard(body.template_card as TemplateCard, this) };
    // A card with nothing to click goes as markdown that opens with its bold title; a text has none.
    const content = (body.markdown as { content: string }).content;
    const title = /^(?:<font[^>]*>)?\*\*(.+?)\*\*/.exec(content)?.[1];
    if (title === undefined) return { kind: "text", text: content };
    const notClickable = async (): Promise<SeenCard> => {
      throw new Error("a markdown card has no buttons");
    };
    return { kind: "card", card: { title, buttons: [], text: content, click: notClickable } };
  },
};

const wecomBase = (driver: Driver) => ({
  msgid: nextId("wm"),
  aibotid: "AIBOTID",
  chatid: driver.chatId,
  chattype: "group",
  from: { userid: driver.userId },
  response_url: fakes.wecom.responseUrl(),
});

function postWeComBot(payload: unknown) {
  const signed = botCallback(WECOM_BOT, payload, {
    timestamp: String(Math.floor(h.clock.now().getTime() / 1000)),
  });
  return h.send(signed.path, {
    method: "POST",
    body: signed.body,
    headers: { "content-type": "application/json" },
  });
}

function wecomCard(card: TemplateCard, driver: Driver): SeenCard {
  const buttons = card.button_list ?? [];
  return {
    title: card.main_title.title,
    // A redrawn card with nothing left to click keeps one inert "✓" button: WeCom needs a button there.
    buttons: buttons.map((button) => button.text).filter((label) => label !== "✓"),
    text: JSON.stringify(card),
    async click(label) {
      const button = buttons.find((candidate) => candidate.text === label);
      const event = {
        eventtype: "template_card_event",
        template_card_event: {
          card_type: "button_interaction",
          event_key: button?.key,
          task_id: card.task_id,
        },
      };
      const response = await postWeComBot({ ...wecomBase(driver), msgtype: "event", event });
      const sealed = (await response.json()) as { encrypt: string };
      const reply = JSON.parse(nodeDecrypt(WECOM.botEncodingAesKey, sealed.encrypt).message) as {
        template_card: TemplateCard;
      };
      await h.settle();
      return wecomCard(reply.template_card, driver);
    },
  };
}

async function card(driver: Driver, text: string): Promise<SeenCard> {
  const reply = await driver.say(text);
  if (reply.kind !== "card") throw new Error(`expected a card for ${text}, got: ${reply.text}`);
  return reply.card;
}

async function text(driver: Driver, said: string): Promise<string> {
  const reply = await driver.say(said);
  if (reply.kind !== "text") throw new Error(`expected text for ${said}, got the card ${reply.card.title}`);
  return reply.text;
}

async function grant(driver: Driver, role: "staff" | "warehouse") {
  const [identity] = await database.db
    .select()
    .from(identities)
    .where(and(eq(identities.platform, driver.platform), eq(identities.platformUserId, driver.userId)));
  await grantRole(database.db, {
    personId: identity?.personId as number,
    role,
    by: null,
    now: h.clock.now(),
  });
}

const DRIVERS = [lark, dingtalk, wecom].map((driver) => [driver.platform, driver] as const);

describe.each(DRIVERS)("orders on %s", (platform, driver) => {
  it("takes an order as a draft card; Confirm redraws it confirmed, with who and when and no buttons", async () => {
    const draft = await card(driver, "/下单 华为 X1 100 2026-12-01");
    expect(draft.title).toBe("确认订单 O-20261126-001");
    expect(draft.buttons).toEqual(["确认", "取消"]);
    expect(draft.text).toContain("2026-12-01");

    const confirmed = await draft.click("确认");
    expect(confirmed.title).toBe("订单 O-20261126-001");
    expect(confirmed.buttons).toEqual([]);
    expect(confirmed.text).toContain("已确认");
    expect(confirmed.text).toMatch(/已由 .+ 于 10:00 确认/);

    // A second click on the old card's Confirm: the card as it is now, nothing changes.
    const again = await draft.click("确认");
    expect(again.title).toBe("订单 O-20261126-001");
    expect(again.buttons).toEqual([]);

    const [row] = await database.db.select().from(orders);
    expect(row).toMatchObject({ status: "confirmed", platform, chatId: driver.chatId, version: 2 });
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.entityId, "O-20261126-001"));
    expect(audits.map((audit) => [audit.action, audit.platform])).toEqual([
      ["order.drafted", platform],
      ["order.confirmed", platform],
    ]);
  });

  it("cancels a draft from its card, and answers an English order in English", async () => {
    const draft = await card(driver, "/order new ACME M2 5 2026-11-26");
    expect(draft.title).toBe("Confirm order O-20261126-001");
    const cancelled = await draft.click("Cancel");
    expect(cancelled.buttons).toEqual([]);
    expect(cancelled.text).toMatch(/Cancelled by .+ at 10:00/);
    expect((await database.db.select().from(orders))[0]?.status).toBe("cancelled");
  });

  it("completes, delays and lists orders, with the roles they need", async () => {
    await (await card(driver, "/下单 华为 X1 100 2026-12-01")).click("确认");
    expect(await text(driver, "/完成 O-20261126-001")).toBe(
      "你没有权限使用 /完成 — 需要角色: 员工、仓库、经理 或 管理员",
    );
    await grant(driver, "staff");
    const delayed = await card(driver, "/延期 O-20261126-001 2026-12-08 客户要求推迟");
    expect(delayed.text).toContain("2026-12-08 (原交期 2026-12-01, 已延期 1 次)");
    expect(delayed.text).toContain("客户要求推迟");
    const open = await card(driver, "/订单");
    expect(open.title).toBe("订单 · 未完成 (1)");
    expect(open.text).toContain("O-20261126-001");
    const done = await card(driver, "/完成 O-20261126-001");
    expect(done.text).toContain("已完成");
    expect(done.buttons).toEqual([]);
    expect(await text(driver, "/完成 O-20261126-001")).toMatch(/^订单 O-20261126-001 已由 .+ 于 10:00 完成$/);
    const [row] = await database.db.select().from(orders);
    expect(row).toMatchObject({
      status: "completed",
      dueDate: "2026-12-08",
      originalDueDate: "2026-12-01",
      delayCount: 1,
    });
  });

  it.each([
    ["/下单 华为 X1 abc 2026-12-01", "数量必须是正整数: abc — 用法: /下单 <客户> <型号> <数量> <交期>"],
    [
      "/下单 华为 X1 100 2026-11-25",
      "交期不能早于今天 (2026-11-26): 2026-11-25 — 用法: /下单 <客户> <型号> <数量> <交期>",
    ],
    ["/下单 华为 X1", "缺少数量 — 用法: /下单 <客户> <型号> <数量> <交期>"],
    ["/完成 O-20261126-404", "找不到订单 O-20261126-404"],
    ["/order delay O-20261126-404 2026-12-09 late", "no order O-20261126-404"],
  ])("answers %s with one clear reply, changing nothing", async (said, expected) => {
    // Known and allowed, so that the reply is about the order rather than the role.
    await driver.say("/订单");
    await grant(driver, "staff");
    expect(await text(driver, said)).toBe(expected);
    expect(await database.db.$count(orders)).toBe(0);
  });
});

describe("orders on Lark only", () => {
  it("opens the order form for /下单 alone; its submit creates the draft card", async () => {
    const form = await card(lark, "/下单");
    expect(form.title).toBe("下单");
    const [formMessage] = (await h.outboxRows()).map(
      (row) => (row.result as { messageId: string }).messageId,
    );
    const submitValue = JSON.parse(form.text).body.elements.find((element: Json) => element.tag === "form");
    const submit = larkButtons(submitValue)[0];
    const response = await h.send(
      "/webhooks/lark",
      larkSigned(
        larkCardAction({
          token: LARK.verificationToken,
          value: submit?.value,
          formValue: { customer: "华为", model: "X1", quantity: "100", due: "2026-12-01 +0800" },
          eventId: nextId("ev_form_"),
          messageId: formMessage,
          chatId: lark.chatId,
          operatorOpenId: lark.userId,
        }),
      ),
    );
    const answer = (await response.json()) as { card?: { data: Json } };
    const draft = larkCard(answer.card?.data ?? {}, formMessage as string, lark);
    expect(draft.title).toBe("确认订单 O-20261126-001");
    expect(draft.buttons).toEqual(["确认", "取消"]);
    expect((await database.db.select().from(orders))[0]).toMatchObject({
      status: "draft",
      dueDate: "2026-12-01",
    });
  });

  it("confirms once when its creator and a manager click Confirm at the same moment; the other sees who did", async () => {
    const draft = await card(lark, "/下单 华为 X1 100 2026-12-01");
    // Someone else's draft is confirmed only by a manager or an admin.
    const now = h.clock.now();
    const colleague = {
      platform: "lark" as const,
      userId: "ou_e2e_colleague",
      name: "同事",
      bootstrapAdmin: false,
      now,
    };
    const { personId } = await personForContact(database.db, colleague);
    await grantRole(database.db, { personId, role: "manager", by: null, now });
    const [cardRow] = await h.outboxRows();
    const messageId = (cardRow?.result as { messageId: string } | undefined)?.messageId ?? "";
    const asOther = larkCard(JSON.parse(draft.text), messageId, lark, "ou_e2e_colleague");
    const [first, second] = await Promise.all([draft.click("确认"), asOther.click("确认")]);
    expect(first.buttons).toEqual([]);
    expect(second.buttons).toEqual([]);
    expect(first.text).toContain("已确认");
    expect(second.text).toContain("已确认");
    const confirmations = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "order.confirmed"));
    expect(confirmations).toHaveLength(1);
    expect((await database.db.select().from(orders))[0]?.version).toBe(2);
  });
});
