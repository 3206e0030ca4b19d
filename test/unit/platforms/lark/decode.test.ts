// decodeLarkEnvelope: im.message.receive_v1 and card.action.trigger fixtures into neutral events.
import { describe, expect, it } from "vitest";
import { WebhookError } from "../../../../src/platforms/errors.ts";
import { decodeLarkEnvelope } from "../../../../src/platforms/lark/decode.ts";
import { larkCardAction, larkMessageEvent } from "../../../helpers/lark-signer.ts";

const TOKEN = "vt-1";
const BOT = { key: "@_user_1", openId: "ou_bot", name: "OpsBot" };
const TOM = { key: "@_user_2", openId: "ou_tom", name: "Tom" };

describe("im.message.receive_v1", () => {
  it("decodes a group message that @-mentions the bot and another person", () => {
    const envelope = larkMessageEvent({
      token: TOKEN,
      messageId: "om_42",
      chatId: "oc_ops",
      senderOpenId: "ou_alice",
      text: "@_user_1 /role grant @_user_2 manager",
      mentions: [
        { ...BOT, mentionedType: "bot" },
        { ...TOM, mentionedType: "user" },
      ],
    });
    expect(decodeLarkEnvelope(envelope)).toEqual({
      kind: "message",
      platform: "lark",
      dedupKey: "lark:msg:om_42",
      chat: { id: "oc_ops", kind: "group" },
      sender: { id: "ou_alice" },
      text: "/role grant @Tom manager",
      mentions: [{ id: "ou_tom", name: "Tom" }],
      messageId: "om_42",
      reply: { messageId: "om_42", chatId: "oc_ops" },
    });
  });

  it("keys a redelivered message (new event_id) on its message_id", () => {
    const first = decodeLarkEnvelope(
      larkMessageEvent({ token: TOKEN, text: "/help", messageId: "om_7", eventId: "e1" }),
    );
    const again = decodeLarkEnvelope(
      larkMessageEvent({ token: TOKEN, text: "/help", messageId: "om_7", eventId: "e2" }),
    );
    expect(again?.dedupKey).toBe("lark:msg:om_7");
    expect(again).toEqual(first);
  });

  it("decodes a direct message as a direct chat", () => {
    const message = decodeLarkEnvelope(
      larkMessageEvent({ token: TOKEN, text: "  /kpi today ", chatType: "p2p" }),
    );
    expect(message).toMatchObject({ chat: { kind: "direct" }, text: "/kpi today", mentions: [] });
  });

  it("does not strip a leading mention that Lark marks as a person", () => {
    const message = decodeLarkEnvelope(
      larkMessageEvent({
        token: TOKEN,
        text: "@_user_2 please check",
        mentions: [{ ...TOM, key: "@_user_2", mentionedType: "user" }],
      }),
    );
    expect(message).toMatchObject({ text: "@Tom please check", mentions: [{ id: "ou_tom" }] });
  });

  it("without mentioned_type, tells the bot by its missing user_id when user_ids are visible", () => {
    const message = decodeLarkEnvelope(
      larkMessageEvent({
        token: TOKEN,
        text: "@_user_1 @_user_2 /help",
        mentions: [
          { ...BOT, userId: "" },
          { ...TOM, userId: "e33ggbyz" },
        ],
      }),
    );
    expect(message).toMatchObject({ text: "@Tom /help", mentions: [{ id: "ou_tom", name: "Tom" }] });
  });

  it("without any marker, treats leading mentions as the bot and later ones as people", () => {
    const message = decodeLarkEnvelope(
      larkMessageEvent({ token: TOKEN, text: "@_user_1 /role grant @_user_2 qa", mentions: [BOT, TOM] }),
    );
    expect(message).toMatchObject({ text: "/role grant @Tom qa", mentions: [{ id: "ou_tom", name: "Tom" }] });
  });

  it("reads the text of a rich-text (post) message, mentions included", () => {
    const message = decodeLarkEnvelope(
      larkMessageEvent({
        token: TOKEN,
        messageType: "post",
        text: "@_user_1 /order list open",
        mentions: [{ ...BOT, mentionedType: "bot" }],
      }),
    );
    expect(message).toMatchObject({ kind: "message", text: "/order list open" });
  });

  it("ignores message types without text, and messages from bots", () => {
    expect(
      decodeLarkEnvelope(larkMessageEvent({ token: TOKEN, text: "", messageType: "image" })),
    ).toBeUndefined();
    expect(
      decodeLarkEnvelope(larkMessageEvent({ token: TOKEN, text: "/help", senderType: "app" })),
    ).toBeUndefined();
  });

  it("rejects a message event missing its message as malformed", () => {
    const envelope = larkMessageEvent({ token: TOKEN, text: "/help" });
    expect(() => decodeLarkEnvelope({ ...envelope, event: { sender: {} } })).toThrow(WebhookError);
  });
});

describe("card.action.trigger", () => {
  it("decodes a button click", () => {
    const envelope = larkCardAction({
      token: TOKEN,
      eventId: "ev_9",
      cardToken: "c-abc",
      operatorOpenId: "ou_bob",
      chatId: "oc_ops",
      messageId: "om_card",
      value: { action: "order.confirm", id: "O-20261126-001", qty: 3 },
    });
    expect(decodeLarkEnvelope(envelope)).toEqual({
      kind: "action",
      platform: "lark",
      dedupKey: "lark:card:ev_9",
      actionId: "order.confirm",
      value: { id: "O-20261126-001", qty: "3" },
      form: {},
      operator: { id: "ou_bob" },
      chat: { id: "oc_ops", kind: "group" },
      message: { messageId: "om_card", chatId: "oc_ops", cardToken: "c-abc" },
    });
  });

  it("decodes a form submission, with dates as plain dates and multi-selects joined", () => {
    const action = decodeLarkEnvelope(
      larkCardAction({
        token: TOKEN,
        value: { action: "order.submit" },
        formValue: { customer: "ACME", due: "2026-12-01 +0800", tags: ["a", "b"], empty: null },
      }),
    );
    expect(action).toMatchObject({
      actionId: "order.submit",
      form: { customer: "ACME", due: "2026-12-01", tags: "a,b" },
    });
  });

  it("keys on the card token when there is no event_id, the same for a replay", () => {
    const envelope = larkCardAction({ token: TOKEN, cardToken: "c-only", value: { action: "x" } });
    const header = { ...(envelope.header as object), event_id: undefined };
    expect(decodeLarkEnvelope({ ...envelope, header })?.dedupKey).toBe("lark:card:c-only");
    expect(decodeLarkEnvelope({ ...envelope, header })).toEqual(decodeLarkEnvelope({ ...envelope, header }));
  });

  it("ignores clicks whose value carries no action id", () => {
    expect(decodeLarkEnvelope(larkCardAction({ token: TOKEN, value: { key: "value" } }))).toBeUndefined();
    expect(decodeLarkEnvelope(larkCardAction({ token: TOKEN, value: "just a string" }))).toBeUndefined();
  });
});

describe("other envelopes", () => {
  it("ignores other schema 2.0 event types and v1 events", () => {
    const other = {
      schema: "2.0",
      header: { event_id: "e", event_type: "contact.user.created_v3", token: TOKEN },
    };
    expect(decodeLarkEnvelope(other)).toBeUndefined();
    expect(
      decodeLarkEnvelope({ type: "event_callback", token: TOKEN, event: { type: "p2p_chat_create" } }),
    ).toBeUndefined();
  });

  it("rejects a schema 2.0 envelope without a header as malformed", () => {
    expect(() => decodeLarkEnvelope({ schema: "2.0" })).toThrow(WebhookError);
  });
});
