// The one schema for every environment variable of DESIGN §1, and the pure parser that reads it.
import { z } from "zod";

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const url = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : fallback))
    .pipe(z.url({ protocol: /^https?$/ }))
    .transform((value) => value.replace(/\/+$/, ""));

const timezone = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : "Asia/Shanghai"))
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: "not an IANA time zone (for example Asia/Shanghai)" },
  );

/** A comma-separated variable: its entries trimmed, empty ones dropped, each checked by `entry`. */
const commaList = (entry: z.ZodType<string, string>) =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(entry));

const admins = commaList(
  z
    .string()
    .regex(
      /^(lark|dingtalk|wecom):\S+$/,
      "each entry must look like platform:userId (lark, dingtalk or wecom)",
    ),
).transform((entries) =>
  entries.map((entry) => {
    const at = entry.indexOf(":");
    return { platform: entry.slice(0, at) as "lark" | "dingtalk" | "wecom", userId: entry.slice(at + 1) };
  }),
);

/** A `*_TRANSPORT` variable: `webhook` (the default) or the platform's long connection. */
const transport = <Mode extends string>(longConnection: Mode) =>
  z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim().toLowerCase() : "webhook"))
    .pipe(z.enum(["webhook", longConnection]));

const onOff = z
  .string()
  .optional()
  .transform((value) => value?.trim().toLowerCase())
  .pipe(z.enum(["on", "off"]).optional());

/** `OPS_SYSTEM_CHECKS=erp=https://erp.example/health,wms=http://10.0.0.5/ping`: the systems the bot probes. */
const systemChecks = commaList(
  z
    .string()
    .regex(
      /^[a-z][a-z0-9_]{0,39}=\S+$/,
      "each entry must look like name=url, the name as its /checklist area key",
    )
    .refine((entry) => {
      const address = entry.slice(entry.indexOf("=") + 1);
      return z.url({ protocol: /^https?$/ }).safeParse(address).success;
    }, "each url must be http:// or https://"),
)
  .transform((entries) =>
    entries.map((entry) => {
      const at = entry.indexOf("=");
      return { name: entry.slice(0, at), url: entry.slice(at + 1) };
    }),
  )
  .refine(
    (systems) => new Set(systems.map((system) => system.name)).size === systems.length,
    "each system name once",
  );

export const envSchema = z.object({
  PORT: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : "8787"))
    .pipe(z.string().regex(/^\d{1,5}$/, "must be a port number (0-65535)"))
    .transform(Number)
    .pipe(z.number().max(65535, "must be a port number (0-65535)")),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  DATA_DIR: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : "./data")),
  OPS_TIMEZONE: timezone,
  OPS_ADMINS: admins,
  OPS_SYSTEM_CHECKS: systemChecks,
  OPS_CONSOLE: onOff,
  /** `on`: escalations and safety findings also go out as the platform's urgent notice (Lark buzz, DING). */
  OPS_URGENT: onOff,
  OPS_CONSOLE_TRANSPORT: transport("ws"),
  LARK_APP_ID: optionalText,
  LARK_APP_SECRET: optionalText,
  LARK_ENCRYPT_KEY: optionalText,
  LARK_VERIFICATION_TOKEN: optionalText,
  LARK_API_BASE: url("https://open.feishu.cn"),
  LARK_TRANSPORT: transport("ws"),
  DINGTALK_CLIENT_ID: optionalText,
  DINGTALK_CLIENT_SECRET: optionalText,
  DINGTALK_ROBOT_CODE: optionalText,
  DINGTALK_CARD_TEMPLATE_ID: optionalText,
  DINGTALK_CARD_CALLBACK_SECRET: optionalText,
  DINGTALK_API_BASE: url("https://api.dingtalk.com"),
  DINGTALK_OAPI_BASE: url("https://oapi.dingtalk.com"),
  DINGTALK_TRANSPORT: transport("stream"),
  WECOM_CORP_ID: optionalText,
  WECOM_AGENT_ID: optionalText,
  WECOM_SECRET: optionalText,
  WECOM_TOKEN: optionalText,
  WECOM_ENCODING_AES_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}$/, "must be the 43-character EncodingAESKey")
      .optional(),
  ),
  WECOM_BOT_TOKEN: optionalText,
  WECOM_BOT_ENCODING_AES_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}$/, "must be the 43-character EncodingAESKey")
      .optional(),
  ),
  WECOM_API_BASE: url("https://qyapi.weixin.qq.com"),
  WECOM_BOT_TRANSPORT: transport("ws"),
  WECOM_BOT_ID: optionalText,
  WECOM_BOT_SECRET: optionalText,
  WECOM_BOT_WS_URL: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : "wss://openws.work.weixin.qq.com"))
    .pipe(z.url({ protocol: /^wss?$/ })),
});

export type Env = z.output<typeof envSchema>;
