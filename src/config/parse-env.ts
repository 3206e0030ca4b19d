// parseEnv(record): the typed configuration, or one error naming every bad variable.
import type { PlatformId } from "../chat/events.ts";
import { type Env, envSchema } from "./schema.ts";

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join("; ")}`);
    this.name = "ConfigError";
  }
}

export interface LarkConfig {
  appId: string;
  appSecret: string;
  verificationToken: string;
  encryptKey?: string;
  apiBase: string;
  /** Set when events and card callbacks come over the long connection (`LARK_TRANSPORT=ws`). */
  transport?: "ws";
}

export interface DingTalkConfig {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  cardTemplateId?: string;
  cardCallbackSecret?: string;
  apiBase: string;
  oapiBase: string;
  /** Set when robot messages and card callbacks come over DingTalk Stream (`DINGTALK_TRANSPORT=stream`). */
  transport?: "stream";
}

export interface WeComAppConfig {
  corpId: string;
  agentId: string;
  secret: string;
  token: string;
  encodingAesKey: string;
  apiBase: string;
}

export interface WeComBotConfig {
  token: string;
  encodingAesKey: string;
  apiBase: string;
}

/** The WeCom intelligent robot's long connection (`WECOM_BOT_TRANSPORT=ws`). */
export interface WeComBotConnectionConfig {
  botId: string;
  secret: string;
  url: string;
  /** Where the robot's replies go (its response_url) and the API is reached. */
  apiBase: string;
}

export interface Config {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  timezone: string;
  admins: { platform: PlatformId; userId: string }[];
  /** Systems the bot probes itself each working morning (OPS_SYSTEM_CHECKS), by /checklist area key. */
  systemChecks: { name: string; url: string }[];
  /**
   * Console explicitly requested (`OPS_CONSOLE=on`, refused at start while any real platform is configured) or
   * refused (`off`); undefined = automatic (on only when no platform is configured).
   */
  console?: "on" | "off";
  /** How the console's platforms reach the bot: `ws` over their long connections; undefined = webhooks. */
  consoleTransport?: "ws";
  /**
   * `OPS_URGENT=on`: escalations and safety findings also go out as the platform's urgent notice (Lark's
   * in-app buzz, a DingTalk DING; WeCom has none), inside working hours. Off unless set.
   */
  urgent?: boolean;
  lark?: LarkConfig;
  dingtalk?: DingTalkConfig;
  wecom?: WeComAppConfig;
  wecomBot?: WeComBotConfig;
  wecomBotConnection?: WeComBotConnectionConfig;
  /** Platforms with some but not all credentials set: off, and worth a warning at start-up. */
  incomplete: { platform: string; missing: string[] }[];
}

/** The credentials that switch each platform on; all of a group must be set. */
const CREDENTIALS = {
  lark: ["LARK_APP_ID", "LARK_APP_SECRET", "LARK_VERIFICATION_TOKEN"],
  dingtalk: ["DINGTALK_CLIENT_ID", "DINGTALK_CLIENT_SECRET", "DINGTALK_ROBOT_CODE"],
  wecom: ["WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_ENCODING_AES_KEY"],
  wecomBot: ["WECOM_BOT_TOKEN", "WECOM_BOT_ENCODING_AES_KEY"],
} as const satisfies Record<string, readonly (keyof Env)[]>;

type CredentialGroup = keyof typeof CREDENTIALS;

/** The SDK's long connection refuses any other app id, silently: say so at start instead. */
const LARK_LONG_CONNECTION_APP_ID = /^cli_[0-9a-fA-F]{16}$/;

/** A long connection asked for without what it needs: one problem naming the variable to fix. */
function transportProblems(env: Env, on: Record<CredentialGroup, boolean>): ConfigError["problems"] {
  const problems: ConfigError["problems"] = [];
  const needs = (variable: string, group: CredentialGroup) =>
    problems.push({ variable, message: `needs ${CREDENTIALS[group].join(", ")} to be set` });
  if (env.LARK_TRANSPORT === "ws") {
    if (!on.lark) needs("LARK_TRANSPORT", "lark");
    else if (!LARK_LONG_CONNECTION_APP_ID.test(env.LARK_APP_ID ?? ""))
      problems.push({
        variable: "LARK_APP_ID",
        message: "LARK_TRANSPORT=ws needs the app id as Lark shows it (cli_ and 16 hex digits)",
      });
  }
  if (env.DINGTALK_TRANSPORT === "stream" && !on.dingtalk) needs("DINGTALK_TRANSPORT", "dingtalk");
  if (env.WECOM_BOT_TRANSPORT === "ws") {
    for (const variable of ["WECOM_BOT_ID", "WECOM_BOT_SECRET"] as const)
      if (!env[variable]) problems.push({ variable, message: "must be set when WECOM_BOT_TRANSPORT=ws" });
  }
  return problems;
}

export function parseEnv(record: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(record);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "(env)"),
        message: issue.message,
      })),
    );
  }
  const env = parsed.data;
  const incomplete: Config["incomplete"] = [];
  const has = (group: CredentialGroup): boolean => {
    const missing = CREDENTIALS[group].filter((name) => env[name] === undefined);
    if (missing.length > 0 && missing.length < CREDENTIALS[group].length)
      incomplete.push({ platform: group, missing });
    return missing.length === 0;
  };
  const config: Config = {
    port: env.PORT,
    dataDir: env.DATA_DIR,
    timezone: env.OPS_TIMEZONE,
    admins: env.OPS_ADMINS,
    systemChecks: env.OPS_SYSTEM_CHECKS,
    incomplete,
  };
  const on = {
    lark: has("lark"),
    dingtalk: has("dingtalk"),
    wecom: has("wecom"),
    wecomBot: has("wecomBot"),
  };
  const problems = transportProblems(env, on);
  if (problems.length > 0) throw new ConfigError(problems);
  if (env.DATABASE_URL) config.databaseUrl = env.DATABASE_URL;
  if (env.OPS_CONSOLE) config.console = env.OPS_CONSOLE;
  if (env.OPS_CONSOLE_TRANSPORT === "ws") config.consoleTransport = "ws";
  if (env.OPS_URGENT === "on") config.urgent = true;
  if (on.lark) {
    config.lark = {
      appId: env.LARK_APP_ID as string,
      appSecret: env.LARK_APP_SECRET as string,
      verificationToken: env.LARK_VERIFICATION_TOKEN as string,
      apiBase: env.LARK_API_BASE,
    };
    if (env.LARK_ENCRYPT_KEY) config.lark.encryptKey = env.LARK_ENCRYPT_KEY;
    if (env.LARK_TRANSPORT === "ws") config.lark.transport = "ws";
  }
  if (on.dingtalk) {
    config.dingtalk = {
      clientId: env.DINGTALK_CLIENT_ID as string,
      clientSecret: env.DINGTALK_CLIENT_SECRET as string,
      robotCode: env.DINGTALK_ROBOT_CODE as string,
      apiBase: env.DINGTALK_API_BASE,
      oapiBase: env.DINGTALK_OAPI_BASE,
    };
    if (env.DINGTALK_CARD_TEMPLATE_ID) config.dingtalk.cardTemplateId = env.DINGTALK_CARD_TEMPLATE_ID;
    if (env.DINGTALK_CARD_CALLBACK_SECRET)
      config.dingtalk.cardCallbackSecret = env.DINGTALK_CARD_CALLBACK_SECRET;
    if (env.DINGTALK_TRANSPORT === "stream") config.dingtalk.transport = "stream";
  }
  if (on.wecom) {
    config.wecom = {
      corpId: env.WECOM_CORP_ID as string,
      agentId: env.WECOM_AGENT_ID as string,
      secret: env.WECOM_SECRET as string,
      token: env.WECOM_TOKEN as string,
      encodingAesKey: env.WECOM_ENCODING_AES_KEY as string,
      apiBase: env.WECOM_API_BASE,
    };
  }
  if (on.wecomBot) {
    config.wecomBot = {
      token: env.WECOM_BOT_TOKEN as string,
      encodingAesKey: env.WECOM_BOT_ENCODING_AES_KEY as string,
      apiBase: env.WECOM_API_BASE,
    };
  }
  if (env.WECOM_BOT_TRANSPORT === "ws")
    config.wecomBotConnection = {
      botId: env.WECOM_BOT_ID as string,
      secret: env.WECOM_BOT_SECRET as string,
      url: env.WECOM_BOT_WS_URL,
      apiBase: env.WECOM_API_BASE,
    };
  if (config.console === "on" && configuredPlatforms(config).length > 0) {
    throw new ConfigError([
      {
        variable: "OPS_CONSOLE",
        message: `"on" is refused while a real platform is configured (${configuredPlatforms(config).join(", ")}): the console acts as any person it likes and would act on that tenant's real data; unset OPS_CONSOLE, or run the console without platform credentials`,
      },
    ]);
  }
  return config;
}

/** How each channel that is on receives its events (DESIGN §1 `*_TRANSPORT`), for the start-up line. */
export function transports(config: Config): Record<string, string> {
  const modes: Record<string, string> = {};
  if (config.lark) modes.lark = config.lark.transport ?? "webhook";
  if (config.dingtalk) modes.dingtalk = config.dingtalk.transport ?? "webhook";
  if (config.wecom) modes.wecom = "webhook";
  if (config.wecomBot || config.wecomBotConnection)
    modes.wecomBot = config.wecomBotConnection ? "ws" : "webhook";
  return modes;
}

/** Names of the platform channels that are on, for the start-up line and /healthz-free diagnostics. */
export function configuredPlatforms(config: Config): string[] {
  return (["lark", "dingtalk", "wecom", "wecomBot"] as const).filter(
    (key) => config[key] !== undefined || (key === "wecomBot" && config.wecomBotConnection !== undefined),
  );
}

/** Whether this platform account is one of OPS_ADMINS: it gets the admin role on first contact. */
export const isBootstrapAdmin = (config: Config, platform: PlatformId, userId: string): boolean =>
  config.admins.some((admin) => admin.platform === platform && admin.userId === userId);
