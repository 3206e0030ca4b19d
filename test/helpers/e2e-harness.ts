// End-to-end set-up: the fake platforms over HTTP, the real services from createServices, a manual clock, row reads.
import { asc } from "drizzle-orm";
import { parseEnv } from "../../src/config/parse-env.ts";
import type { Database } from "../../src/db/database.ts";
import { chats, identities, inbox, outbox, people } from "../../src/db/schema/index.ts";
import {
  type BackgroundTracker,
  createBackgroundTracker,
} from "../../src/entry/compose/background-tracker.ts";
import { createServices, type Services } from "../../src/entry/compose/services.ts";
import { createLogger } from "../../src/log.ts";
import { type FakeDingTalk, startFakeDingTalk } from "../fakes/dingtalk.ts";
import { type FakeLark, startFakeLark } from "../fakes/lark.ts";
import { type FakeWeCom, startFakeWeCom } from "../fakes/wecom.ts";
import { dingtalkRobotMessage, signDingTalk } from "./dingtalk-signer.ts";
import { LARK_SIGNED_AT } from "./lark-signer.ts";
import { type ManualClock, manualClock } from "./manual-clock.ts";
import { appCallback, botCallback } from "./wecom-signer.ts";

export const LARK = {
  appId: "cli_e2e_0001",
  appSecret: "lark-e2e-app-secret",
  verificationToken: "lark-e2e-verification-token",
  encryptKey: "lark-e2e-encrypt-key",
};

export const DINGTALK = {
  clientId: "ding-e2e-client",
  clientSecret: "dingtalk-e2e-client-secret",
  robotCode: "ding-e2e-robot",
  cardTemplateId: "e2e-template.schema",
  cardCallbackSecret: "dingtalk-e2e-card-secret",
};

export const WECOM = {
  corpId: "ww-e2e-corp",
  agentId: "1000002",
  secret: "wecom-e2e-app-secret",
  token: "wecomE2eToken",
  encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  botToken: "wecomE2eBotToken",
  botEncodingAesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
};

export interface Fakes {
  lark: FakeLark;
  dingtalk: FakeDingTalk;
  wecom: FakeWeCom;
  /** Forget recorded requests and deliveries (between tests). */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the three fake platform APIs; once per test file. */
export async function startFakes(): Promise<Fakes> {
  const [lark, dingtalk, wecom] = await Promise.all([
    startFakeLark({ appId: LARK.appId, appSecret: LARK.appSecret }),
    startFakeDingTalk(DINGTALK),
    startFakeWeCom({ corpId: WECOM.corpId, secret: WECOM.secret, agentId: WECOM.agentId }),
  ]);
  return {
    lark,
    dingtalk,
    wecom,
    reset() {
      lark.reset();
      dingtalk.reset();
      wecom.reset();
    },
    close: async () => {
      await Promise.all([lark.close(), dingtalk.close(), wecom.close()]);
    },
  };
}

/** What a test switches on: each platform's channel, and DingTalk's interactive-card template. */
export type Channel = "lark" | "dingtalk" | "dingtalkCards" | "wecom" | "wecomBot";

/** The base URL of each platform's API, as a server should reach it (the fakes, or something in front). */
type ApiBases = Record<"lark" | "dingtalk" | "wecom", { url: string }>;

/** The environment that switches `channels` on, every *_API_BASE pointing at its fake. */
export function envFor(fakes: ApiBases, channels: readonly Channel[]): Record<string, string> {
  const env: Record<string, string> = {};
  if (channels.includes("lark"))
    Object.assign(env, {
      LARK_APP_ID: LARK.appId,
      LARK_APP_SECRET: LARK.appSecret,
      LARK_VERIFICATION_TOKEN: LARK.verificationToken,
      LARK_ENCRYPT_KEY: LARK.encryptKey,
      LARK_API_BASE: fakes.lark.url,
    });
  if (channels.includes("dingtalk") || channels.includes("dingtalkCards"))
    Object.assign(env, {
      DINGTALK_CLIENT_ID: DINGTALK.clientId,
      DINGTALK_CLIENT_SECRET: DINGTALK.clientSecret,
      DINGTALK_ROBOT_CODE: DINGTALK.robotCode,
      DINGTALK_API_BASE: fakes.dingtalk.url,
      DINGTALK_OAPI_BASE: fakes.dingtalk.url,
    });
  if (channels.includes("dingtalkCards"))
    Object.assign(env, {
      DINGTALK_CARD_TEMPLATE_ID: DINGTALK.cardTemplateId,
      DINGTALK_CARD_CALLBACK_SECRET: DINGTALK.cardCallbackSecret,
    });
  if (channels.includes("wecom"))
    Object.assign(env, {
      WECOM_CORP_ID: WECOM.corpId,
      WECOM_AGENT_ID: WECOM.agentId,
      WECOM_SECRET: WECOM.secret,
      WECOM_TOKEN: WECOM.token,
      WECOM_ENCODING_AES_KEY: WECOM.encodingAesKey,
    });
  if (channels.includes("wecomBot"))
    Object.assign(env, {
      WECOM_BOT_TOKEN: WECOM.botToken,
      WECOM_BOT_ENCODING_AES_KEY: WECOM.botEncodingAesKey,
    });
  if (channels.includes("wecom") || channels.includes("wecomBot")) env.WECOM_API_BASE = fakes.wecom.url;
  return env;
}

export interface HarnessOptions {
  database: Database;
  fakes: Fakes;
  channels: readonly Channel[];
  /** Where the manual clock starts; default the Lark signer's signing time. */
  start?: Date;
  /** More environment on top of the channels' (e.g. OPS_URGENT). */
  env?: Record<string, string>;
}

export interface RowCounts {
  inbox: number;
  outbox: number;
  people: number;
  identities: number;
  chats: number;
}

export interface Harness {
  services: Services;
  clock: ManualClock;
  tracker: BackgroundTracker;
  /** Every log line written, for checks that nothing failed unseen. */
  logLines: string[];
  /**
   * One request to the app, a second after the previous one. The outbox paces sends on the manual clock
   * and waits by moving it (its injected sleep), so no test waits in real time.
   */
  send(path: string, init?: RequestInit): Promise<Response>;
  /** Waits for the background work of every request so far (no sleeping). */
  settle(): Promise<void>;
  inboxRows(): Promise<(typeof inbox.$inferSelect)[]>;
  outboxRows(): Promise<(typeof outbox.$inferSelect)[]>;
  counts(): Promise<RowCounts>;
}

/** Fresh services (rate budgets, token caches) over the shared database and fakes: one per test. */
export function createHarness({
  database,
  fakes,
  channels,
  start = LARK_SIGNED_AT,
  env = {},
}: HarnessOptions): Harness {
  const clock = manualClock(start.toISOString());
  const logLines: string[] = [];
  const log = createLogger({
    write: (line) => logLines.push(line),
    minLevel: "debug",
    now: clock.now,
    secrets: [LARK.appSecret, LARK.encryptKey, DINGTALK.clientSecret, WECOM.secret, WECOM.encodingAesKey],
  });
  const tracker = createBackgroundTracker(log);
  const config = parseEnv({ ...envFor(fakes, channels), ...env });
  const services = createServices({
    config,
    database,
    log,
    now: clock.now,
    background: tracker.track,
    sleep: async (ms) => clock.advance(ms),
  });
  const { db } = database;

  return {
    services,
    clock,
    tracker,
    logLines,
    async send(path, init) {
      clock.advance(1000);
      return services.app.request(path, init);
    },
    settle: () => tracker.drain(),
    inboxRows: () => db.select().from(inbox).orderBy(asc(inbox.id)),
    outboxRows: () => db.select().from(outbox).orderBy(asc(outbox.id)),
    async counts() {
      const [inboxCount, outboxCount, peopleCount, identityCount, chatCount] = await Promise.all([
        db.$count(inbox),
        db.$count(outbox),
        db.$count(people),
        db.$count(identities),
        db.$count(chats),
      ]);
      return {
        inbox: inboxCount,
        outbox: outboxCount,
        people: peopleCount,
        identities: identityCount,
        chats: chatCount,
      };
    },
  };
}

/**
 * A signed DingTalk robot message as DingTalk posts it, with a live session webhook at the fake; resolves
 * with the answer's status once the background work is done.
 */
export async function sendDingTalkMessage(
  h: Harness,
  fakes: Fakes,
  text: string,
  msgId: string,
  overrides: Record<string, unknown> = {},
): Promise<number> {
  const now = h.clock.now().getTime();
  const body = dingtalkRobotMessage({
    text,
    msgId,
    createAt: now,
    overrides: {
      ...overrides,
      sessionWebhook: fakes.dingtalk.sessionWebhookUrl(`s-${msgId}`),
      sessionWebhookExpiredTime: now + 5_400_000,
    },
  });
  const response = await h.send("/webhooks/dingtalk", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...signDingTalk(now, DINGTALK.clientSecret) },
  });
  await h.settle();
  return response.status;
}

/** A signed WeCom self-built-app text message from `zhangsan`; resolves with the answer's status once settled. */
export async function sendWeComAppMessage(h: Harness, text: string, msgId: string): Promise<number> {
  const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
  const xml =
    `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>` +
    `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;
  const signed = appCallback(
    { token: WECOM.token, encodingAesKey: WECOM.encodingAesKey, receiveId: WECOM.corpId },
    xml,
    { timestamp },
  );
  const response = await h.send(signed.path, {
    method: "POST",
    body: signed.body,
    headers: { "content-type": "text/xml" },
  });
  await h.settle();
  return response.status;
}

/**
 * A signed WeCom intelligent-robot text message from `userId` in group `chatId`, answered through the fake's
 * response_url; resolves with the answer's status once settled.
 */
export async function sendWeComBotMessage(
  h: Harness,
  fakes: Fakes,
  text: string,
  msgId: string,
  { userId = "zhangsan", chatId = "wrkGroupReview" }: { userId?: string; chatId?: string } = {},
): Promise<number> {
  const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
  const signed = botCallback(
    { token: WECOM.botToken, encodingAesKey: WECOM.botEncodingAesKey, receiveId: "" },
    {
      msgid: msgId,
      aibotid: "AIBOT",
      chatid: chatId,
      chattype: "group",
      from: { userid: userId },
      response_url: fakes.wecom.responseUrl(),
      msgtype: "text",
      text: { content: text },
    },
    { timestamp },
  );
  const response = await h.send(signed.path, {
    method: "POST",
    body: signed.body,
    headers: { "content-type": "application/json" },
  });
  await h.settle();
  return response.status;
}
