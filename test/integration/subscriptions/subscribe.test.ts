// /subscribe and /unsubscribe through the bot handler: roles, times, idempotence, WeCom webhooks, audit, listing.

import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { ChatRef } from "../../../src/chat/events.ts";
import { md } from "../../../src/chat/rich-text.ts";
import { chats, subscriptions } from "../../../src/db/schema/index.ts";
import { listSubscriptions } from "../../../src/domain/subscriptions/subscriptions.ts";
import { useTestDatabase } from "../../helpers/database.ts";
import { type BotUnderTest, botUnderTest, GROUP, WECOM_API_BASE } from "../people/bot-under-test.ts";

const BOSS = { id: "ou_boss", name: "Boss" };
const MANAGER = { id: "ou_mgr", name: "Manager" };
const STAFF = { id: "ou_staff", name: "Staff" };
const LAOBAN = { id: "laoban" };
const WECOM_GROUP: ChatRef = { id: "wrkGroup1", kind: "group" };
const KEY = "693a91f6-7000-4bc4-97a0-0ec2f1a5aaaa";
const OTHER_KEY = "11111111-2222-3333-4444-555555555555";
const webhookUrl = (key: string) => `${WECOM_API_BASE}/cgi-bin/webhook/send?key=${key}`;

const t = useTestDatabase();
let bot: BotUnderTest;

beforeEach(async () => {
  bot = botUnderTest(t.database, { OPS_ADMINS: "lark:ou_boss,wecom:laoban" });
  await bot.say(BOSS, `/role grant ${MANAGER.id} manager`);
});

const rows = () => t.database.db.select().from(subscriptions).orderBy(subscriptions.id);
const wecom = (text: string, chat: ChatRef = WECOM_GROUP) =>
  bot.sayText(LAOBAN, text, { platform: "wecom", chat });

describe("who may subscribe", () => {
  it.each([
    ["/subscribe digest", "you may not use /subscribe — needs role: manager or admin"],
    ["/订阅 告警", "你没有权限使用 /订阅 — 需要角色: 经理 或 管理员"],
    ["/unsubscribe digest", "you may not use /unsubscribe — needs role: manager or admin"],
  ])("refuses %j from staff, naming the roles", async (text, expected) => {
    expect(await bot.sayText(STAFF, text)).toBe(expected);
    expect(await rows()).toEqual([]);
  });

  it("lets a manager and an admin subscribe", async () => {
    expect(await bot.sayText(MANAGER, "/subscribe digest")).toMatch(
      /^This group's subscriptions\nSubscribed/,
    );
    expect(await bot.sayText(BOSS, "/subscribe alerts")).toMatch(/Subscribed to the alerts/);
    expect((await rows()).map((row) => [row.topic, row.sendAt])).toEqual([
      ["digest", "09:00"],
      ["alerts", null],
    ]);
  });
});

describe("the digest time", () => {
  it("defaults to 09:00 and the card says what the group now receives", async () => {
    const reply = await bot.say(MANAGER, "/订阅 日报");
    expect(reply).toEqual({
      type: "card",
      card: {
        title: "本群订阅",
        tone: "success",
        markdown: md`${"已订阅日报。"}`,
        fields: [{ label: "日报", value: "每个工作日 09:00 (Asia/Shanghai)" }],
      },
    });
  });

  it.each([
    ["08:30", "08:30"],
    ["9:05", "09:05"],
    ["０８：３０", "08:30"],
    ["00:00", "00:00"],
    ["23:59", "23:59"],
  ])("accepts %j as %s", async (typed, stored) => {
    await bot.say(MANAGER, `/subscribe digest ${typed}`);
    expect((await rows()).map((row) => row.sendAt)).toEqual([stored]);
  });

  it.each(["24:00", "23:60", "9:5", "25:00", "0900", "noon"])(
    "refuses %j, storing nothing",
    async (typed) => {
      expect(await bot.sayText(MANAGER, `/subscribe digest ${typed}`)).toBe(
        `the time must be HH:MM between 00:00 and 23:59: ${typed} — usage: /subscribe <digest|alerts|schedule|review|finance> [HH:MM]`,
      );
      expect(await rows()).toEqual([]);
    },
  );

  it("refuses a time for alerts, and a second time", async () => {
    expect(await bot.sayText(MANAGER, "/订阅 告警 09:00")).toMatch(
      /^告警随时即时推送, 不需要时间 — 用法: \/订阅/,
    );
    expect(await bot.sayText(MANAGER, "/subscribe digest 09:00 10:00")).toMatch(
      /^too many arguments — usage/,
    );
    expect(await rows()).toEqual([]);
  });

  it("moves the time when the group subscribes again, and changes nothing the third time", async () => {
    await bot.say(MANAGER, "/subscribe digest 08:00");
    expect(await bot.sayText(MANAGER, "/subscribe digest 07:30")).toMatch(
      /Updated the digest subscription\.\ndigest: every working day at 07:30 \(Asia\/Shanghai\)$/,
    );
    expect(await bot.sayText(MANAGER, "/subscribe digest 07:30")).toMatch(
      /Already subscribed to the digest; nothing changed\./,
    );
    expect((await rows()).map((row) => row.sendAt)).toEqual(["07:30"]);

    const audit = await bot.auditRows();
    const changes = audit.filter((row) => row.entityType === "subscription");
    expect(
      changes.map(({ action, entityId, before, after, platformMessageId }) => ({
        action,
        entityId,
        before,
        after,
        platformMessageId,
      })),
    ).toEqual([
      {
        action: "subscription.created",
        entityId: "lark:oc_ops:digest",
        before: null,
        after: { topic: "digest", sendAt: "08:00", language: "en" },
        platformMessageId: "om_2",
      },
      {
        action: "subscription.updated",
        entityId: "lark:oc_ops:digest",
        before: { topic: "digest", sendAt: "08:00", language: "en" },
        after: { topic: "digest", sendAt: "07:30", language: "en" },
        platformMessageId: "om_3",
      },
    ]);
    expect(changes.every((row) => row.actorPersonId !== null)).toBe(true);
  });
});

describe("unsubscribe", () => {
  it("stops one topic, keeps the other, and says when there was nothing to stop", async () => {
    await bot.say(MANAGER, "/subscribe digest");
    await bot.say(MANAGER, "/subscribe alerts");

    expect(await bot.sayText(MANAGER, "/退订 告警")).toBe(
      "本群订阅\n已退订告警。\n日报: 每个工作日 09:00 (Asia/Shanghai)",
    );
    expect(await bot.sayText(MANAGER, "/unsubscribe alerts")).toBe(
      "this group is not subscribed to the alerts; nothing changed",
    );
    expect(await bot.sayText(MANAGER, "/unsubscribe digest")).toBe(
      "This group's subscriptions\nUnsubscribed from the digest.\nThis group receives no pushes now.",
    );
    expect(await rows()).toEqual([]);
    expect((await bot.auditRows("subscription.removed")).map((row) => row.before)).toEqual([
      { topic: "alerts", sendAt: null, language: "en" },
      { topic: "digest", sendAt: "09:00", language: "en" },
    ]);
  });
});

describe("WeCom groups and their robot webhook", () => {
  it("refuses a group subscription without a webhook, explaining where to find one", async () => {
    expect(await wecom("/订阅 告警")).toMatch(
      /^企业微信群只能通过群机器人推送: .*Webhook 地址或 key 写在最后/,
    );
    expect(await rows()).toEqual([]);
  });

  it.each([
    ["a webhook URL", `/subscribe alerts ${webhookUrl(KEY)}`],
    ["a bare key", `/subscribe alerts ${KEY}`],
    ["a time then a key", `/subscribe digest 08:00 ${KEY}`],
    ["a key then a time", `/订阅 日报 ${KEY} 08:00`],
  ])("stores the canonical webhook from %s and echoes only its last four characters", async (_, text) => {
    const reply = await wecom(text);
    expect(reply).toMatch(/(group robot|群机器人): …aaaa$/);
    expect(reply).not.toContain(KEY);
    const [chat] = await t.database.db.select().from(chats).where(eq(chats.chatId, WECOM_GROUP.id));
    expect(chat?.webhookUrl).toBe(webhookUrl(KEY));
    expect(JSON.stringify(await bot.auditRows())).not.toContain(KEY);
    expect(bot.logLines.join("\n")).not.toContain(KEY);
  });

  it.each([
    ["another host", `https://evil.example.com/cgi-bin/webhook/send?key=${KEY}`],
    ["another path", `${WECOM_API_BASE}/cgi-bin/message/send?key=${KEY}`],
    ["http instead of https", `http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    ["no key", `${WECOM_API_BASE}/cgi-bin/webhook/send`],
    ["a key with other characters", "abc_def!12345"],
  ])("refuses %s without echoing it", async (_, typed) => {
    const reply = await wecom(`/subscribe alerts ${typed}`);
    expect(reply).toBe(
      `that is not a group robot webhook URL (${WECOM_API_BASE}/cgi-bin/webhook/send?key=…) or key — usage: /subscribe <digest|alerts|schedule|review|finance> [HH:MM] [robot-webhook]`,
    );
    expect(reply).not.toContain(KEY);
    expect(await rows()).toEqual([]);
  });

  it("reuses the stored webhook for the next topic and replaces it when a new one is given", async () => {
    await wecom(`/subscribe alerts ${KEY}`);
    expect(await wecom("/subscribe digest 08:00")).toMatch(/Subscribed to the digest\./);
    expect(await wecom(`/subscribe digest 08:00 ${OTHER_KEY}`)).toMatch(/Updated the digest subscription/);

    const [chat] = await t.database.db.select().from(chats).where(eq(chats.chatId, WECOM_GROUP.id));
    expect(chat?.webhookUrl).toBe(webhookUrl(OTHER_KEY));
    const updated = await bot.auditRows("subscription.updated");
    expect(updated.map((row) => [row.before, row.after])).toEqual([
      [
        { topic: "digest", sendAt: "08:00", language: "en", webhook: "…aaaa" },
        { topic: "digest", sendAt: "08:00", language: "en", webhook: "…5555" },
      ],
    ]);
  });

  it("needs no webhook in a WeCom app's one-to-one chat", async () => {
    const direct: ChatRef = { id: "laoban", kind: "direct" };
    expect(await wecom("/subscribe digest", direct)).toMatch(/Subscribed to the digest/);
  });

  it("does not take a webhook on another platform", async () => {
    expect(await bot.sayText(MANAGER, `/subscribe alerts ${KEY}`)).toMatch(/^the time must be HH:MM/);
    expect(await rows()).toEqual([]);
  });
});

describe("listing subscribers", () => {
  it("gives each subscribed chat with the target to send to: the chat itself or its robot webhook", async () => {
    await bot.say(MANAGER, "/subscribe digest 08:00");
    await bot.say(MANAGER, "/subscribe alerts");
    await wecom(`/subscribe digest ${KEY}`);
    await wecom("/subscribe digest 10:00", { id: "laoban", kind: "direct" });

    expect(await listSubscriptions(t.database.db, "digest")).toEqual([
      {
        platform: "lark",
        chatId: GROUP.id,
        topic: "digest",
        sendAt: "08:00",
        language: "en",
        target: { kind: "chat", platform: "lark", chatId: GROUP.id, chatKind: "group" },
      },
      {
        platform: "wecom",
        chatId: "laoban",
        topic: "digest",
        sendAt: "10:00",
        language: "en",
        target: { kind: "chat", platform: "wecom", chatId: "laoban", chatKind: "direct" },
      },
      {
        platform: "wecom",
        chatId: WECOM_GROUP.id,
        topic: "digest",
        sendAt: "09:00",
        language: "en",
        target: { kind: "webhook", platform: "wecom", chatId: WECOM_GROUP.id },
      },
    ]);
    expect((await listSubscriptions(t.database.db, "alerts")).map((row) => row.chatId)).toEqual([GROUP.id]);
  });
});
