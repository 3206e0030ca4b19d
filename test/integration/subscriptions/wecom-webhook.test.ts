// parseWeComWebhook: only group-robot URLs on WECOM_API_BASE (path prefix included) or bare keys; masking.
import { describe, expect, it } from "vitest";
import { maskWebhook, parseWeComWebhook } from "../../../src/domain/subscriptions/wecom-webhook.ts";

const KEY = "693a91f6-7000-4bc4-97a0-0ec2f1a5aaaa";

describe("parseWeComWebhook", () => {
  it.each([
    ["https://qyapi.weixin.qq.com", KEY, `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`],
    [
      "https://qyapi.weixin.qq.com/",
      `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}&debug=1`,
      `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`,
    ],
    [
      "http://127.0.0.1:4000/proxy",
      `http://127.0.0.1:4000/proxy/cgi-bin/webhook/send?key=${KEY}`,
      `http://127.0.0.1:4000/proxy/cgi-bin/webhook/send?key=${KEY}`,
    ],
  ])("on %s reads %s as the canonical URL", (base, typed, expected) => {
    expect(parseWeComWebhook(typed, base)).toBe(expected);
  });

  it.each([
    `http://127.0.0.1:4000/cgi-bin/webhook/send?key=${KEY}`,
    `http://127.0.0.1:4001/proxy/cgi-bin/webhook/send?key=${KEY}`,
    `http://127.0.0.1:4000/proxy/cgi-bin/webhook/send?key=short`,
    "short",
    "not a url",
  ])("refuses %s on a base with a path prefix", (typed) => {
    expect(parseWeComWebhook(typed, "http://127.0.0.1:4000/proxy")).toBeUndefined();
  });
});

describe("maskWebhook", () => {
  it("shows only the key's last four characters", () => {
    expect(maskWebhook(`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`)).toBe("…aaaa");
  });
});
