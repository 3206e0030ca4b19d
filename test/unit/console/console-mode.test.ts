// When the console is on and for which platforms; its credentials switch those platforms on at its fake APIs.
import { describe, expect, it } from "vitest";
import { consolePlatforms } from "../../../console/console-mode.ts";
import { createConsoleCredentials, withConsolePlatforms } from "../../../console/credentials.ts";
import { ConfigError, parseEnv } from "../../../src/config/parse-env.ts";

const LARK = { LARK_APP_ID: "cli_1", LARK_APP_SECRET: "s", LARK_VERIFICATION_TOKEN: "t" };

describe("consolePlatforms", () => {
  it("stands in for every platform when none is configured", () => {
    expect(consolePlatforms(parseEnv({}))).toEqual(["lark", "dingtalk", "wecom"]);
  });

  it("is off as soon as a real platform is configured", () => {
    expect(consolePlatforms(parseEnv(LARK))).toEqual([]);
    const bot = { WECOM_BOT_TOKEN: "t", WECOM_BOT_ENCODING_AES_KEY: "a".repeat(43) };
    expect(consolePlatforms(parseEnv(bot))).toEqual([]);
  });

  it("refuses OPS_CONSOLE=on next to a real platform at start, saying why (it would act on real data)", () => {
    expect(() => parseEnv({ ...LARK, OPS_CONSOLE: "on" })).toThrow(ConfigError);
    expect(() => parseEnv({ ...LARK, OPS_CONSOLE: "on" })).toThrow(/OPS_CONSOLE.*real platform.*\(lark\)/);
    const bot = { WECOM_BOT_TOKEN: "t", WECOM_BOT_ENCODING_AES_KEY: "a".repeat(43), OPS_CONSOLE: "on" };
    expect(() => parseEnv(bot)).toThrow(/wecomBot/);
    expect(consolePlatforms(parseEnv({ OPS_CONSOLE: "on" }))).toEqual(["lark", "dingtalk", "wecom"]);
  });

  it("is always off with OPS_CONSOLE=off", () => {
    expect(consolePlatforms(parseEnv({ OPS_CONSOLE: "off" }))).toEqual([]);
  });
});

describe("withConsolePlatforms", () => {
  it("switches on only the console platforms, aimed at the fake APIs, keeping the others", () => {
    const config = parseEnv(LARK);
    const credentials = createConsoleCredentials();
    const served = withConsolePlatforms(config, ["dingtalk", "wecom"], credentials, (p) => `http://x/${p}`);
    expect(served.lark).toEqual(config.lark);
    expect(served.dingtalk).toMatchObject({ apiBase: "http://x/dingtalk", oapiBase: "http://x/dingtalk" });
    expect(served.dingtalk?.cardTemplateId).toBeTruthy();
    expect(served.wecom?.apiBase).toBe("http://x/wecom");
    expect(served.wecomBot?.encodingAesKey).toMatch(/^[A-Za-z0-9+/]{43}$/);
  });

  it("draws new secrets for every process", () => {
    const [first, second] = [createConsoleCredentials(), createConsoleCredentials()];
    expect(first.lark.appSecret).not.toBe(second.lark.appSecret);
    expect(first.wecom.botEncodingAesKey).not.toBe(second.wecom.botEncodingAesKey);
  });
});
