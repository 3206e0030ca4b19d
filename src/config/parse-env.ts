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
}

export interface DingTalkConfig {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  cardTemplateId?: string;
  cardCallbackSecret?: string;
  apiBase: string;
  oapiBase: string;
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

export interface Config {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  timezone: string;
  admins: { platform: PlatformId; userId: string }[];
  /**
   * Console explicitly requested (`OPS_CONSOLE=on`, refused at start while any real platform is configured) or
   * refused (`off`); undefined = automatic (on only when no platform is configured).
   */
  console?: "on" | "off";
  lark?: LarkConfig;
  dingtalk?: DingTalkConfig;
  wecom?: WeComAppConfig;
  wecomBot?: WeComBotConfig;
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
    incomplete,
  };
  if (env.DATABASE_URL) config.databaseUrl = env.DATABASE_URL;
  if (env.OPS_CONSOLE) config.console = env.OPS_CONSOLE;
  if (has("lark")) {
    config.lark = {
      appId: env.LARK_APP_ID as string,
      appSecret: env.LARK_APP_SECRET as string,
      verificationToken: env.LARK_VERIFICATION_TOKEN as string,
      apiBase: env.LARK_API_BASE,
    };
    if (env.LARK_ENCRYPT_KEY) config.lark.encryptKey = env.LARK_ENCRYPT_KEY;
  }
  if (has("dingtalk")) {
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
  }
  if (has("wecom")) {
    config.wecom = {
      corpId: env.WECOM_CORP_ID as string,
      agentId: env.WECOM_AGENT_ID as string,
      secret: env.WECOM_SECRET as string,
      token: env.WECOM_TOKEN as string,
      encodingAesKey: env.WECOM_ENCODING_AES_KEY as string,
      apiBase: env.WECOM_API_BASE,
    };
  }
  if (has("wecomBot")) {
    config.wecomBot = {
      token: env.WECOM_BOT_TOKEN as string,
      encodingAesKey: env.WECOM_BOT_ENCODING_AES_KEY as string,
      apiBase: env.WECOM_API_BASE,
    };
  }
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

/** Names of the platform channels that are on, for the start-up line and /healthz-free diagnostics. */
export function configuredPlatforms(config: Config): string[] {
  return (["lark", "dingtalk", "wecom", "wecomBot"] as const).filter((key) => config[key] !== undefined);
}

/** Whether this platform account is one of OPS_ADMINS: it gets the admin role on first contact. */
export const isBootstrapAdmin = (config: Config, platform: PlatformId, userId: string): boolean =>
  config.admins.some((admin) => admin.platform === platform && admin.userId === userId);
