// Which rate-limit bucket a destination falls in: the chat, whatever kind of target reaches it.
import { describe, expect, it } from "vitest";
import { targetKey } from "../../../src/outbox/target-key.ts";

describe("targetKey", () => {
  it("puts sends, replies and card updates to one chat in the same bucket", async () => {
    const keys = await Promise.all([
      targetKey({ kind: "chat", platform: "lark", chatId: "oc_1", chatKind: "group" }),
      targetKey({ kind: "reply", platform: "lark", handle: { messageId: "om_9", chatId: "oc_1" } }),
      targetKey({
        kind: "update",
        platform: "lark",
        handle: { messageId: "om_9", chatId: "oc_1", cardToken: "c-1" },
      }),
      targetKey({ kind: "reply", platform: "dingtalk", handle: { chatId: "oc_1", chatKind: "group" } }),
    ]);
    expect(new Set(keys)).toEqual(new Set(["chat:oc_1"]));
  });

  it("uses the member of a WeCom app 1:1 chat, whose id is the chat's", async () => {
    expect(
      await targetKey({ kind: "reply", platform: "wecom", handle: { channel: "app", userId: "zhangsan" } }),
    ).toBe("chat:zhangsan");
  });

  it("names a robot webhook by its group (the URL, a secret, is not in the target)", async () => {
    expect(await targetKey({ kind: "webhook", platform: "wecom", chatId: "wrk123" })).toBe("webhook:wrk123");
  });

  it("falls back to the message, then to a digest of the handle that ignores field order", async () => {
    expect(await targetKey({ kind: "update", platform: "lark", handle: { messageId: "om_5" } })).toBe(
      "message:om_5",
    );
    const a = await targetKey({ kind: "update", platform: "dingtalk", handle: { outTrackId: "t1", x: "y" } });
    const b = await targetKey({ kind: "update", platform: "dingtalk", handle: { x: "y", outTrackId: "t1" } });
    expect(a).toMatch(/^handle:[0-9a-f]{32}$/);
    expect(a).toBe(b);
  });
});
