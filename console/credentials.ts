// Console credentials: random per process, for the platforms the console stands in for, aimed at its fake APIs.
import { randomBytes } from "node:crypto";
import type { PlatformId } from "../src/chat/events.ts";
import type { Config } from "../src/config/parse-env.ts";

const secret = (bytes = 16): string => randomBytes(bytes).toString("hex");
/** 32 random bytes as WeCom's 43-character EncodingAESKey (base64 without its "="). */
const encodingAesKey = (): string => randomBytes(32).toString("base64").replace(/=+$/u, "");

export interface ConsoleCredentials {
  lark: { appId: string; appSecret: string; verificationToken: string; encryptKey: string };
  dingtalk: {
    clientId: string;
    clientSecret: string;
    robotCode: string;
    cardTemplateId: string;
    cardCallbackSecret: string;
  };
  wecom: {
    corpId: string;
    agentId: string;
    secret: string;
    token: string;
    encodingAesKey: string;
    botToken: string;
    botEncodingAesKey: string;
    /** The robot's BotID and Secret on its long connection. */
    botId: string;
    botSecret: string;
  };
}

export function createConsoleCredentials(): ConsoleCredentials {
  return {
    lark: {
      // Lark's SDK opens its long connection only for an id of this shape: cli_ and 16 hex digits.
      appId: `cli_${secret(8)}`,
      appSecret: secret(),
      verificationToken: secret(),
      encryptKey: secret(),
    },
    dingtalk: {
      clientId: `dingconsole${secret(4)}`,
      clientSecret: secret(),
      robotCode: `dingconsolerobot${secret(4)}`,
      cardTemplateId: "opsbot-console.schema",
      cardCallbackSecret: secret(),
    },
    wecom: {
      corpId: `wwconsole${secret(4)}`,
      agentId: "1000002",
      secret: secret(),
      token: secret(8),
      encodingAesKey: encodingAesKey(),
      botToken: secret(8),
      botEncodingAesKey: encodingAesKey(),
      botId: `aibconsole${secret(4)}`,
      botSecret: secret(),
    },
  };
}

/** The configuration with each console platform switched on, its API base pointing at `apiBase(platform)`. */
export function withConsolePlatforms(
  config: Config,
  platforms: readonly PlatformId[],
  credentials: ConsoleCredentials,
  apiBase: (platform: PlatformId) => string,
): Config {
  const next: Config = { ...config };
  if (platforms.includes("lark")) next.lark = { ...credentials.lark, apiBase: apiBase("lark") };
  if (platforms.includes("dingtalk"))
    next.dingtalk = { ...credentials.dingtalk, apiBase: apiBase("dingtalk"), oapiBase: apiBase("dingtalk") };
  if (platforms.includes("wecom")) {
    const { botToken, botEncodingAesKey, botId, botSecret, ...app } = credentials.wecom;
    next.wecom = { ...app, apiBase: apiBase("wecom") };
    next.wecomBot = { token: botToken, encodingAesKey: botEncodingAesKey, apiBase: apiBase("wecom") };
  }
  return next;
}
