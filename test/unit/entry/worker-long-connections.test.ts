// The Worker cannot hold a long connection: such a configuration is refused with a message naming it.
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../../src/entry/worker/index.ts";

afterEach(() => vi.restoreAllMocks());

describe("the Worker and long connections", () => {
  it.each([
    [
      {
        LARK_APP_ID: "cli_a1b2c3d4e5f60718",
        LARK_APP_SECRET: "s",
        LARK_VERIFICATION_TOKEN: "t",
        LARK_TRANSPORT: "ws",
      },
      "LARK_TRANSPORT=ws",
    ],
    [
      {
        DINGTALK_CLIENT_ID: "c",
        DINGTALK_CLIENT_SECRET: "s",
        DINGTALK_ROBOT_CODE: "r",
        DINGTALK_TRANSPORT: "stream",
      },
      "DINGTALK_TRANSPORT=stream",
    ],
    [
      { WECOM_BOT_TRANSPORT: "ws", WECOM_BOT_ID: "bot", WECOM_BOT_SECRET: "secret" },
      "WECOM_BOT_TRANSPORT=ws",
    ],
  ])("refuses %j and says why", async (env, named) => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => lines.push(line));
    const response = await worker.fetch(new Request("https://bot.example/healthz"), env, {
      waitUntil: () => {},
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "misconfigured" });
    expect(lines.join("\n")).toContain(`${named}: Workers cannot hold long connections`);
  });
});
