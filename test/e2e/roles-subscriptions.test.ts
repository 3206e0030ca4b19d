// /role and /subscribe end to end on Lark, DingTalk and WeCom: signed webhooks → bot → database and replies.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alertNotice } from "../../commands/alerts/cards.ts";
import type { OutboundMessage } from "../../src/chat/card.ts";
import type { PlatformId } from "../../src/chat/events.ts";
import { rowsOf } from "../../src/db/database.ts";
import { alerts, chats, subscriptions } from "../../src/db/schema/index.ts";
import { sendDueNotices } from "../../src/domain/alerts/notices.ts";
import { alertCalendar } from "../../src/domain/alerts/sweep.ts";
import { alertTiming } from "../../src/domain/alerts/timing.ts";
import { personForContact } from "../../src/domain/people/people.ts";
import { grantRole, rolesOf } from "../../src/domain/people/roles.ts";
import { listSubscriptions } from "../../src/domain/subscriptions/subscriptions.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import { dingtalkRobotMessage, signDingTalk } from "../helpers/dingtalk-signer.ts";
import {
  createHarness,
  DINGTALK,
  type Fakes,
  type Harness,
  LARK,
  startFakes,
  WECOM,
} from "../helpers/e2e-harness.ts";
import { larkMessageEvent, signLarkRequest } from "../helpers/lark-signer.ts";
import { appCallback, botCallback } from "../helpers/wecom-signer.ts";
import { replyText } from "../integration/people/bot-under-test.ts";

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
/** The fakes remember message ids and task ids across tests, as the platforms do. */
let testNumber = 0;
let messageNumber = 0;
const nextId = (prefix: string) => `${prefix}_${testNumber}_${++messageNumber}`;

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
  h = createHarness({ database, fakes, channels: ["lark", "dingtalk", "wecom", "wecomBot"] });
});

async function makeAdmin(platform: PlatformId, userId: string): Promise<void> {
  const now = h.clock.now();
  const { personId } = await personForContact(database.db, { platform, userId, bootstrapAdmin: false, now });
  await grantRole(database.db, { personId, role: "admin", by: null, now });
}

async function rolesOfAccount(platform: PlatformId, userId: string) {
  const { personId } = await personForContact(database.db, {
    platform,
    userId,
    bootstrapAdmin: false,
    now: h.clock.now(),
  });
  return rolesOf(database.db, personId);
}

/**
 * Posts one signed request (to `server`, default this test's), waits for the bot, and returns its reply as the
 * outbox recorded and sent it.
 */
async function replyTo(request: { path: string; init: RequestInit }, server: Harness = h): Promise<string> {
  const before = (await h.outboxRows()).length;
  expect((await server.send(request.path, request.init)).status).toBe(200);
  await server.settle();
  const rows = await h.outboxRows();
  expect(rows).toHaveLength(before + 1);
  const row = rows.at(-1);
  expect(row?.status).toBe("sent");
  return replyText(row?.message as OutboundMessage);
}

const timestamp = () => String(Math.floor(h.clock.now().getTime() / 1000));

function lark(text: string, sender: string, mentions: { key: string; openId: string; name: string }[] = []) {
  const messageId = nextId("om");
  const payload = larkMessageEvent({
    token: LARK.verificationToken,
    text,
    messageId,
    chatId: "oc_e2e_ops",
    senderOpenId: sender,
    mentions: mentions.map((mention) => ({ ...mention, mentionedType: "user" as const })),
  });
  const signed = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp: timestamp() });
  return {
    path: "/webhooks/lark",
    init: { method: "POST", body: signed.body, headers: signed.headers },
  };
}

function dingtalk(text: string, staffId: string, atUsers: Record<string, string>[] = []) {
  const now = h.clock.now().getTime();
  const id = nextId("msg");
  const body = dingtalkRobotMessage({
    text,
    msgId: id,
    createAt: now,
    overrides: {
      senderStaffId: staffId,
      atUsers: [{ dingtalkId: "$:LWCP_v1:$botBOTbot" }, ...atUsers],
      sessionWebhook: fakes.dingtalk.sessionWebhookUrl(`s-${id}`),
      sessionWebhookExpiredTime: now + 5_400_000,
    },
  });
  return {
    path: "/webhooks/dingtalk",
    init: {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...signDingTalk(now, DINGTALK.clientSecret) },
    },
  };
}

const WECOM_GROUP = "wrkSFfCgAAtMQKg4xqDatM5C9IDHFpTw";

/** A message in a WeCom group, through the intelligent robot. */
function wecomGroup(text: string, userId: string) {
  const payload = {
    msgid: nextId("botmsg"),
    aibotid: "AIBOTID",
    chatid: WECOM_GROUP,
    chattype: "group",
    from: { userid: userId },
    response_url: fakes.wecom.responseUrl(),
    msgtype: "text",
    text: { content: `@opsbot ${text}` },
  };
  const signed = botCallback(
    { token: WECOM.botToken, encodingAesKey: WECOM.botEncodingAesKey, receiveId: "" },
    payload,
    { timestamp: timestamp() },
  );
  return {
    path: signed.path,
    init: { method: "POST", body: signed.body, headers: { "content-type": "application/json" } },
  };
}

/** A one-to-one message to the WeCom self-built app. */
function wecomApp(text: string, userId: string) {
  const xml =
    `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${userId}]]></FromUserName>` +
    `<CreateTime>${timestamp()}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${text}]]></Content><MsgId>${nextId("9")}</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;
  const signed = appCallback(
    { token: WECOM.token, encodingAesKey: WECOM.encodingAesKey, receiveId: WECOM.corpId },
    xml,
    { timestamp: timestamp() },
  );
  return {
    path: signed.path,
    init: { method: "POST", body: signed.body, headers: { "content-type": "text/xml" } },
  };
}

const subscriptionRows = (platform: PlatformId) =>
  database.db.select().from(subscriptions).where(eq(subscriptions.platform, platform));

describe("Lark", () => {
  it("an admin grants a mentioned member manager, who subscribes the group; others are refused", async () => {
    await makeAdmin("lark", "ou_admin");
    const wang = [{ key: "@_user_1", openId: "ou_wang", name: "Wang Wei" }];

    expect(await replyTo(lark("/role grant @_user_1 manager", "ou_admin", wang))).toBe(
      "Granted Wang Wei the manager role. Roles now: manager",
    );
    expect(await replyTo(lark("/订阅 日报 08:30", "ou_wang"))).toBe(
      "本群订阅\n已订阅日报。\n日报: 每个工作日 08:30 (Asia/Shanghai)",
    );
    expect(await replyTo(lark("/角色 授予 ou_x 客服", "ou_wang"))).toBe(
      "你没有权限使用 /角色 — 需要角色: 管理员",
    );
    expect(await replyTo(lark("/subscribe alerts", "ou_stranger"))).toBe(
      "you may not use /subscribe — needs role: manager or admin",
    );
    expect(await replyTo(lark("/unsubscribe digest", "ou_wang"))).toMatch(/Unsubscribed from the digest\./);
    expect(await replyTo(lark("/role revoke ou_admin admin", "ou_admin"))).toMatch(/^you are the only admin/);

    expect(await rolesOfAccount("lark", "ou_wang")).toEqual(["manager"]);
    expect(await subscriptionRows("lark")).toEqual([]);
    expect(fakes.lark.delivered).toHaveLength(6);
    expect((await h.inboxRows()).every((row) => row.status === "done")).toBe(true);
  });
});

describe("who is asking, remembered between commands", () => {
  it("sees a role granted or revoked on another server, or outside any command, at the very next command", async () => {
    await makeAdmin("lark", "ou_admin");
    const other = createHarness({ database, fakes, channels: ["lark"] });
    const refused = "you may not use /subscribe — needs role: manager or admin";

    // Twice, so that this server has Wang remembered without a role.
    expect(await replyTo(lark("/subscribe alerts", "ou_wang"))).toBe(refused);
    expect(await replyTo(lark("/subscribe alerts", "ou_wang"))).toBe(refused);
    expect(await replyTo(lark("/role grant ou_wang manager", "ou_admin"), other)).toBe(
      "Granted ou_wang the manager role. Roles now: manager",
    );
    expect(await replyTo(lark("/subscribe alerts", "ou_wang"))).toMatch(/^This group's subscriptions/);

    expect(await replyTo(lark("/role revoke ou_wang manager", "ou_admin"), other)).toMatch(/^Revoked/);
    expect(await replyTo(lark("/unsubscribe alerts", "ou_wang"))).toBe(
      "you may not use /unsubscribe — needs role: manager or admin",
    );

    // A change no command made (a job, the console) counts the same.
    const wang = await personForContact(database.db, {
      platform: "lark",
      userId: "ou_wang",
      bootstrapAdmin: false,
      now: h.clock.now(),
    });
    await grantRole(database.db, { personId: wang.personId, role: "manager", by: null, now: h.clock.now() });
    expect(await replyTo(lark("/unsubscribe alerts", "ou_wang"))).toMatch(/Unsubscribed from the alerts\./);
  });
});

describe("DingTalk", () => {
  it("an admin grants an @mentioned member by staff id and subscribes the group to alerts", async () => {
    await makeAdmin("dingtalk", "manager4511");
    const lina = [{ dingtalkId: "$:LWCP_v1:$lina", staffId: "lina01" }];

    expect(await replyTo(dingtalk("@opsbot /角色 授予 @李娜 客服", "manager4511", lina))).toBe(
      "已授予 lina01 客服角色。现有角色: 客服",
    );
    expect(await replyTo(dingtalk("/subscribe alerts", "manager4511"))).toBe(
      "This group's subscriptions\nSubscribed to the alerts.\nalerts: the moment they happen",
    );
    expect(await replyTo(dingtalk("/subscribe alerts 09:00", "manager4511"))).toMatch(
      /^alerts are sent the moment they happen; they take no time/,
    );
    expect(await replyTo(dingtalk("/role grant lina01 cs", "manager4511"))).toBe(
      "lina01 already has the cs role; nothing changed",
    );
    expect(await replyTo(dingtalk("/订阅 告警", "lina01"))).toBe(
      "你没有权限使用 /订阅 — 需要角色: 经理 或 管理员",
    );

    expect(await rolesOfAccount("dingtalk", "lina01")).toEqual(["cs"]);
    expect((await listSubscriptions(database.db, "alerts")).map((row) => row.target)).toEqual([
      { kind: "chat", platform: "dingtalk", chatId: "cidLY0TRpE+Ka//RsguNtQnHw==", chatKind: "group" },
    ]);
    expect(fakes.dingtalk.delivered).toHaveLength(5);
  });
});

describe("WeCom", () => {
  it("a group subscribes with its robot webhook, which is stored, never echoed or logged, and works", async () => {
    await makeAdmin("wecom", "laoban");
    const key = fakes.wecom.webhookKey;

    expect(await replyTo(wecomGroup("/订阅 告警", "laoban"))).toMatch(/^企业微信群只能通过群机器人推送/);
    expect(
      await replyTo(
        wecomGroup(`/订阅 告警 https://evil.example.com/cgi-bin/webhook/send?key=${key}`, "laoban"),
      ),
    ).toMatch(/^这不是群机器人的 Webhook 地址/);
    const webhook = `${fakes.wecom.url}/cgi-bin/webhook/send?key=${key}`;
    expect(await replyTo(wecomGroup(`/订阅 告警 ${webhook}`, "laoban"))).toBe(
      `本群订阅\n已订阅告警。\n告警: 发生时立即推送\n群机器人: …${key.slice(-4)}`,
    );
    expect(await replyTo(wecomGroup(`/subscribe digest 08:00 ${key}`, "laoban"))).toMatch(
      /digest: every working day at 08:00 \(Asia\/Shanghai\)\nalerts: the moment they happen\ngroup robot: …/,
    );

    const [chat] = await database.db
      .select()
      .from(chats)
      .where(and(eq(chats.platform, "wecom"), eq(chats.chatId, WECOM_GROUP)));
    expect(chat?.webhookUrl).toBe(webhook);
    const replies = (await h.outboxRows()).map((row) => JSON.stringify(row.message)).join("\n");
    expect(replies).not.toContain(key);
    expect(h.logLines.join("\n")).not.toContain(key);
    const robotReplies = fakes.wecom.delivered.filter((delivery) =>
      delivery.path.startsWith("/cgi-bin/aibot/"),
    );
    expect(JSON.stringify(robotReplies)).not.toContain(key);

    // The stored webhook is what the alert fan-out sends to: the adapter accepts it and the group gets it.
    const [subscriber] = await listSubscriptions(database.db, "alerts");
    if (!subscriber) throw new Error("no alerts subscriber");
    expect(subscriber.target).toEqual({ kind: "webhook", platform: "wecom", chatId: WECOM_GROUP });
    const probe = `probe:${testNumber}`;
    await h.services.outbox.enqueue([
      { idempotencyKey: probe, target: subscriber.target, message: { type: "text", text: "ping" } },
    ]);
    expect(await h.services.outbox.deliver([probe])).toMatchObject({ sent: 1 });
    expect(fakes.wecom.delivered.at(-1)?.path).toMatch(/^\/cgi-bin\/webhook\/send\?key=/);
  });

  it("an admin grants a role by plain user id; a one-to-one app chat subscribes without a webhook", async () => {
    await makeAdmin("wecom", "laoban");

    expect(await replyTo(wecomGroup("/角色 授予 lisi 质检", "laoban"))).toBe(
      "已授予 lisi 质检角色。现有角色: 质检",
    );
    expect(await replyTo(wecomGroup("/角色 授予 @李四 质检", "laoban"))).toMatch(/^无法识别 @李四/);
    expect(await replyTo(wecomApp("/subscribe digest", "laoban"))).toMatch(/Subscribed to the digest\./);

    expect(await rolesOfAccount("wecom", "lisi")).toEqual(["qa"]);
    expect((await subscriptionRows("wecom")).map((row) => [row.chatId, row.topic, row.sendAt])).toEqual([
      ["laoban", "digest", "09:00"],
    ]);
  });
});

/** Every text or JSON column of every table, as "table.column", whose value holds `secret` in some row. */
async function columnsHolding(secret: string): Promise<string[]> {
  const columns = await database.db.execute(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'character varying', 'json', 'jsonb')
    order by table_name, column_name`);
  const holding: string[] = [];
  for (const { table_name, column_name } of rowsOf<{ table_name: string; column_name: string }>(columns)) {
    const found = await database.db.execute(
      sql`select 1 from ${sql.identifier(table_name)} where strpos(${sql.identifier(column_name)}::text, ${secret}) > 0 limit 1`,
    );
    if (rowsOf(found).length > 0) holding.push(`${table_name}.${column_name}`);
  }
  return holding;
}

describe("a robot's key typed into /subscribe", () => {
  it("rests nowhere in the database but the chat's webhook, whichever platform it was typed in", async () => {
    await makeAdmin("wecom", "laoban");
    await makeAdmin("lark", "ou_admin");
    await makeAdmin("dingtalk", "manager4511");
    const key = fakes.wecom.webhookKey;
    const webhook = `${fakes.wecom.url}/cgi-bin/webhook/send?key=${key}`;

    expect(await replyTo(wecomGroup(`/订阅 告警 ${webhook}`, "laoban"))).toMatch(/^本群订阅\n已订阅告警/);
    expect(await replyTo(wecomGroup(`/subscribe digest 08:00 ${key}`, "laoban"))).toMatch(/Subscribed/);
    // Where no webhook belongs it is refused, without being echoed back.
    expect(await replyTo(lark(`/subscribe digest 08:00 ${key}`, "ou_admin"))).toMatch(/^too many arguments/);
    expect(await replyTo(dingtalk(`/订阅 告警 ${webhook}`, "manager4511"))).toMatch(
      /^时间必须是 00:00 到 23:59 之间的 HH:MM — 用法/,
    );

    expect(await columnsHolding(key)).toEqual(["chats.webhook_url"]);
    // The messages are kept, with the key taken out.
    expect(await columnsHolding("[redacted]")).toEqual(["inbox.event"]);
  });

  it("rests nowhere but the chat's webhook once alerts went out through it, nor in any log line", async () => {
    await makeAdmin("wecom", "laoban");
    const key = fakes.wecom.webhookKey;
    expect(await replyTo(wecomGroup(`/subscribe alerts ${key}`, "laoban"))).toMatch(
      /^This group.s subscriptions\nSubscribed/,
    );
    const now = h.clock.now();
    await database.db.insert(alerts).values({
      kind: "response",
      entity: "C-20261126-001",
      level: "warning",
      facts: {
        type: "complaint",
        number: "C-20261126-001",
        customer: "ACME",
        receivedAt: now.toISOString(),
        dueAt: now.toISOString(),
      },
      raisedAt: now,
      notifyAt: now,
    });
    const calendar = await alertCalendar(database.db, "Asia/Shanghai");
    const { counts } = await sendDueNotices(
      {
        db: database.db,
        outbox: h.services.outbox,
        timezone: "Asia/Shanghai",
        timing: alertTiming(calendar),
        draw: alertNotice,
      },
      now,
    );

    expect(counts.sent).toBe(1);
    expect(fakes.wecom.delivered.at(-1)?.path).toBe(`/cgi-bin/webhook/send?key=${key}`);
    expect(await columnsHolding(key)).toEqual(["chats.webhook_url"]);
    expect(h.logLines.join("\n")).not.toContain(key);
  });
});
