import { describe, expect, it } from "vitest";
import { ConfigError, configuredPlatforms, parseEnv, transports } from "../../../src/config/parse-env.ts";

const AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

describe("parseEnv", () => {
  it("gives the documented defaults for an empty environment", () => {
    const config = parseEnv({});
    expect(config).toMatchObject({ port: 8787, dataDir: "./data", timezone: "Asia/Shanghai", admins: [] });
    expect(config.databaseUrl).toBeUndefined();
    expect(configuredPlatforms(config)).toEqual([]);
  });

  it("names every bad variable in one error", () => {
    let error: unknown;
    try {
      parseEnv({ PORT: "eighty", OPS_TIMEZONE: "Mars/Olympus", LARK_API_BASE: "ftp://x", OPS_ADMINS: "bob" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual(["LARK_API_BASE", "OPS_ADMINS", "OPS_TIMEZONE", "PORT"]);
    expect((error as ConfigError).message).toContain("PORT: must be a port number");
  });

  it("rejects a DATABASE_URL that is not a postgres URL and a malformed EncodingAESKey", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", WECOM_ENCODING_AES_KEY: "short" })).toThrow(
      /DATABASE_URL.*WECOM_ENCODING_AES_KEY/,
    );
  });

  it("parses OPS_ADMINS into platform and user id pairs", () => {
    expect(parseEnv({ OPS_ADMINS: " lark:ou_1 , wecom:zhang.san,dingtalk:0123" }).admins).toEqual([
      { platform: "lark", userId: "ou_1" },
      { platform: "wecom", userId: "zhang.san" },
      { platform: "dingtalk", userId: "0123" },
    ]);
  });

  it("switches a platform on only when all its credentials are set, and reports the incomplete ones", () => {
    const partial = parseEnv({ LARK_APP_ID: "cli_1", LARK_APP_SECRET: "s" });
    expect(partial.lark).toBeUndefined();
    expect(partial.incomplete).toEqual([{ platform: "lark", missing: ["LARK_VERIFICATION_TOKEN"] }]);

    const full = parseEnv({
      LARK_APP_ID: "cli_1",
      LARK_APP_SECRET: "s",
      LARK_VERIFICATION_TOKEN: "v",
      LARK_API_BASE: "http://127.0.0.1:9999/",
      WECOM_BOT_TOKEN: "t",
      WECOM_BOT_ENCODING_AES_KEY: AES_KEY,
    });
    expect(full.lark).toEqual({
      appId: "cli_1",
      appSecret: "s",
      verificationToken: "v",
      apiBase: "http://127.0.0.1:9999",
    });
    expect(full.wecomBot?.encodingAesKey).toBe(AES_KEY);
    expect(configuredPlatforms(full)).toEqual(["lark", "wecomBot"]);
  });

  it("treats blank values as unset", () => {
    const config = parseEnv({ DATABASE_URL: "  ", PORT: "", DINGTALK_CLIENT_ID: " " });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.port).toBe(8787);
    expect(config.incomplete).toEqual([]);
  });

  it("keeps urgent notices off unless OPS_URGENT is on, and names any other value", () => {
    expect(parseEnv({}).urgent).toBeUndefined();
    expect(parseEnv({ OPS_URGENT: "off" }).urgent).toBeUndefined();
    expect(parseEnv({ OPS_URGENT: " ON " }).urgent).toBe(true);
    expect(() => parseEnv({ OPS_URGENT: "yes" })).toThrow(/OPS_URGENT/);
  });

  describe("long connections (*_TRANSPORT)", () => {
    const lark = { LARK_APP_ID: "cli_a1b2c3d4e5f60718", LARK_APP_SECRET: "s", LARK_VERIFICATION_TOKEN: "v" };
    const dingtalk = { DINGTALK_CLIENT_ID: "c", DINGTALK_CLIENT_SECRET: "s", DINGTALK_ROBOT_CODE: "r" };
    const problemsOf = (env: Record<string, string>) => {
      try {
        parseEnv(env);
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    };

    it("defaults every platform to webhooks and logs which transport each uses", () => {
      const config = parseEnv({
        ...lark,
        ...dingtalk,
        WECOM_BOT_TOKEN: "t",
        WECOM_BOT_ENCODING_AES_KEY: AES_KEY,
      });
      expect(transports(config)).toEqual({ lark: "webhook", dingtalk: "webhook", wecomBot: "webhook" });
      expect(config.wecomBotConnection).toBeUndefined();
    });

    it("switches each long connection on, the WeCom robot with its id, secret and address", () => {
      const config = parseEnv({
        ...lark,
        ...dingtalk,
        LARK_TRANSPORT: "ws",
        DINGTALK_TRANSPORT: "Stream",
        WECOM_BOT_TRANSPORT: "ws",
        WECOM_BOT_ID: "aibot-1",
        WECOM_BOT_SECRET: "bot-secret",
      });
      expect(config.lark?.transport).toBe("ws");
      expect(config.dingtalk?.transport).toBe("stream");
      expect(config.wecomBotConnection).toEqual({
        botId: "aibot-1",
        secret: "bot-secret",
        url: "wss://openws.work.weixin.qq.com",
        apiBase: "https://qyapi.weixin.qq.com",
      });
      expect(transports(config)).toEqual({ lark: "ws", dingtalk: "stream", wecomBot: "ws" });
    });

    it("names the variable of every bad combination", () => {
      expect(
        problemsOf({
          OPS_CONSOLE_TRANSPORT: "stream",
          LARK_TRANSPORT: "socket",
          DINGTALK_TRANSPORT: "ws",
          WECOM_BOT_WS_URL: "https://x",
        }).map((p) => p.variable),
      ).toEqual(["OPS_CONSOLE_TRANSPORT", "LARK_TRANSPORT", "DINGTALK_TRANSPORT", "WECOM_BOT_WS_URL"]);
      expect(
        problemsOf({
          LARK_TRANSPORT: "ws",
          DINGTALK_TRANSPORT: "stream",
          WECOM_BOT_TRANSPORT: "ws",
          WECOM_BOT_ID: "b",
        }),
      ).toEqual([
        {
          variable: "LARK_TRANSPORT",
          message: "needs LARK_APP_ID, LARK_APP_SECRET, LARK_VERIFICATION_TOKEN to be set",
        },
        {
          variable: "DINGTALK_TRANSPORT",
          message: "needs DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET, DINGTALK_ROBOT_CODE to be set",
        },
        { variable: "WECOM_BOT_SECRET", message: "must be set when WECOM_BOT_TRANSPORT=ws" },
      ]);
      expect(
        problemsOf({ ...lark, LARK_APP_ID: "cli_1", LARK_TRANSPORT: "ws" }).map((p) => p.variable),
      ).toEqual(["LARK_APP_ID"]);
    });
  });
});
