// The alert fan-out on its own: who is subscribed and reachable, and one row per chat under a prefix.
import { beforeEach, describe, expect, it } from "vitest";
import { fanOut, fanOutItems } from "../../../src/domain/notifications/fan-out.ts";
import { chatRecipient, subscribedRecipients } from "../../../src/domain/notifications/recipients.ts";
import { useTestDatabase } from "../../helpers/database.ts";
import { type Bot, createBot, stored, subscribeToAlerts, WECOM_WEBHOOK } from "./support.ts";

const t = useTestDatabase();
let bot: Bot;

beforeEach(async () => {
  bot = createBot(t.database);
});

const text = { type: "text", text: "hello" } as const;

describe("recipients", () => {
  it("lists the reachable groups subscribed to a topic, WeCom ones through their webhook", async () => {
    await subscribeToAlerts(t.database, "dingtalk", "cid_a");
    await subscribeToAlerts(t.database, "wecom", "wr_hooked", WECOM_WEBHOOK);
    await subscribeToAlerts(t.database, "wecom", "wr_unhooked");
    const recipients = await subscribedRecipients(t.database.db, "alerts");
    expect(recipients).toEqual([
      {
        platform: "dingtalk",
        chatId: "cid_a",
        target: { kind: "chat", platform: "dingtalk", chatId: "cid_a", chatKind: "group" },
      },
      {
        platform: "wecom",
        chatId: "wr_hooked",
        target: { kind: "webhook", platform: "wecom", chatId: "wr_hooked" },
      },
    ]);
    expect(await subscribedRecipients(t.database.db, "digest")).toEqual([]);
  });

  it("reaches an event's chat directly, through its webhook, or not at all", async () => {
    await subscribeToAlerts(t.database, "wecom", "wr_hooked", WECOM_WEBHOOK);
    expect(await chatRecipient(t.database.db, "lark", { id: "oc_1", kind: "group" })).toMatchObject({
      target: { kind: "chat", chatId: "oc_1" },
    });
    expect(await chatRecipient(t.database.db, "wecom", { id: "wr_hooked", kind: "group" })).toMatchObject({
      target: { kind: "webhook", chatId: "wr_hooked" },
    });
    expect(await chatRecipient(t.database.db, "wecom", { id: "wr_other", kind: "group" })).toBeNull();
    expect(await chatRecipient(t.database.db, "wecom", { id: "li.lei", kind: "direct" })).toMatchObject({
      target: { kind: "chat", chatKind: "direct" },
    });
  });
});

describe("fanOut", () => {
  it("keys one row per chat under the prefix and sends a repeat of it no second time", async () => {
    await subscribeToAlerts(t.database, "lark", "oc_a");
    await subscribeToAlerts(t.database, "dingtalk", "cid_b");
    const recipients = await subscribedRecipients(t.database.db, "alerts");
    const twice = [...recipients, ...recipients];
    expect(fanOutItems("alert:test:1", twice, text).map((item) => item.idempotencyKey)).toEqual([
      "alert:test:1:dingtalk:cid_b",
      "alert:test:1:lark:oc_a",
    ]);

    const first = await fanOut(bot.outbox, "alert:test:1", twice, text);
    const again = await fanOut(bot.outbox, "alert:test:1", recipients, text);
    expect(first.counts.sent).toBe(2);
    expect(again).toEqual({ keys: first.keys, counts: { sent: 0, retried: 0, failed: 0, deferred: 0 } });
    expect(bot.sent).toHaveLength(2);
    expect((await stored(t.database)).outbox).toHaveLength(2);
  });
});
