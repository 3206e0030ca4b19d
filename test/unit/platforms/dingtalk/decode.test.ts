import { describe, expect, it } from "vitest";
import type { InboundAction, InboundMessage } from "../../../../src/chat/events.ts";
import { actionText, sendMessageLink } from "../../../../src/platforms/dingtalk/action-link.ts";
import {
  decodeCardCallback,
  decodeRobotMessage,
  parseJsonBody,
} from "../../../../src/platforms/dingtalk/decode.ts";
import { chatOfOutTrackId, outTrackIdFor } from "../../../../src/platforms/dingtalk/handle.ts";
import {
  BOT_DINGTALK_ID,
  dingtalkCardCallback,
  dingtalkRobotMessage,
} from "../../../helpers/dingtalk-signer.ts";

const GROUP_ID = "cidLY0TRpE+Ka//RsguNtQnHw==";

function decodeMessage(body: Record<string, unknown>): InboundMessage {
  const event = decodeRobotMessage(body);
  if (event?.kind !== "message") throw new Error(`expected a message, got ${JSON.stringify(event)}`);
  return event;
}

function decodeAction(body: Record<string, unknown>): InboundAction {
  const event = decodeRobotMessage(body);
  if (event?.kind !== "action") throw new Error(`expected an action, got ${JSON.stringify(event)}`);
  return event;
}

describe("decodeRobotMessage", () => {
  it("decodes a group text message (text.content) with chat, sender, dedup key and reply handle", () => {
    const message = decodeMessage(dingtalkRobotMessage({ text: "  /order list open  " }));
    expect(message).toEqual({
      kind: "message",
      platform: "dingtalk",
      dedupKey: "dingtalk:msg:msgA1b2C3d4E5==",
      chat: { id: GROUP_ID, kind: "group", title: "运营群" },
      sender: { id: "manager4511", name: "王伟" },
      text: "/order list open",
      mentions: [],
      messageId: "msgA1b2C3d4E5==",
      reply: {
        chatId: GROUP_ID,
        chatKind: "group",
        conversationId: GROUP_ID,
        sessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=fixture",
        sessionWebhookExpiredTime: Date.UTC(2026, 10, 26, 2, 0, 0) + 5_400_000,
      },
    });
  });

  it("reads the flattened top-level `content` of the DT-0078 sample", () => {
    const body = dingtalkRobotMessage({ overrides: { text: undefined, content: " /kpi today " } });
    expect(decodeMessage(body).text).toBe("/kpi today");
  });

  it("strips leading @-mentions, including the U+2005 space DingTalk puts after them", () => {
    expect(decodeMessage(dingtalkRobotMessage({ text: "@opsbot /help order" })).text).toBe("/help order");
    expect(
      decodeMessage(dingtalkRobotMessage({ text: "@运营助手\u2005/下单 ACME X1 3 2026-12-01" })).text,
    ).toBe("/下单 ACME X1 3 2026-12-01");
    expect(decodeMessage(dingtalkRobotMessage({ text: "/role grant @李娜 cs" })).text).toBe(
      "/role grant @李娜 cs",
    );
  });

  it("lists mentioned staff in order, without the bot and without users that have no staffId", () => {
    const body = dingtalkRobotMessage({
      text: "/role grant @李娜 cs",
      overrides: {
        atUsers: [
          { dingtalkId: BOT_DINGTALK_ID },
          { dingtalkId: "$:LWCP_v1:$lina", staffId: "cs0001" },
          { dingtalkId: "$:LWCP_v1:$external" },
          { dingtalkId: "$:LWCP_v1:$zhao", staffId: "qa0002" },
        ],
      },
    });
    expect(decodeMessage(body).mentions).toEqual([{ id: "cs0001" }, { id: "qa0002" }]);
  });

  it("addresses a 1:1 chat by the sender's staffId and keeps the conversation id in the handle", () => {
    const message = decodeMessage(dingtalkRobotMessage({ conversationType: "1", text: "/kpi" }));
    expect(message.chat).toEqual({ id: "manager4511", kind: "direct" });
    expect(message.reply).toMatchObject({
      chatId: "manager4511",
      chatKind: "direct",
      conversationId: "cidSINGLEchatWithRobot==",
    });
  });

  it("falls back to senderId when senderStaffId is absent (robot not yet published)", () => {
    const message = decodeMessage(dingtalkRobotMessage({ overrides: { senderStaffId: undefined } }));
    expect(message.sender.id).toBe("$:LWCP_v1:$senderSENDER");
  });

  it("omits the session webhook from the handle when its expiry is missing", () => {
    const message = decodeMessage(
      dingtalkRobotMessage({ overrides: { sessionWebhookExpiredTime: undefined } }),
    );
    expect(message.reply.sessionWebhook).toBeUndefined();
  });

  it("ignores over-quota notices and non-text messages", () => {
    expect(
      decodeRobotMessage(
        dingtalkRobotMessage({
          overrides: { text: undefined, errorMessage: "受调用量超量影响，机器人暂时无法回复" },
        }),
      ),
    ).toBeNull();
    expect(
      decodeRobotMessage(
        dingtalkRobotMessage({
          overrides: { msgtype: "picture", text: undefined, content: { downloadCode: "x" } },
        }),
      ),
    ).toBeNull();
  });

  it("refuses a text message it could not dedup or answer", () => {
    expect(() => decodeRobotMessage(dingtalkRobotMessage({ overrides: { msgId: undefined } }))).toThrow(
      expect.objectContaining({ code: "malformed", status: 400 }),
    );
    expect(() => decodeRobotMessage(dingtalkRobotMessage({ overrides: { conversationType: 2 } }))).toThrow(
      expect.objectContaining({ code: "malformed" }),
    );
    expect(() =>
      decodeRobotMessage(
        dingtalkRobotMessage({ overrides: { senderStaffId: undefined, senderId: undefined } }),
      ),
    ).toThrow(expect.objectContaining({ code: "malformed" }));
  });

  it("decodes the same message twice to the same dedup key", () => {
    const body = dingtalkRobotMessage({ text: "/order done O-20261126-001" });
    expect(decodeMessage(body).dedupKey).toBe(decodeMessage(structuredClone(body)).dedupKey);
  });
});

describe("reserved action texts from template-less buttons", () => {
  it("decodes `/_ <action> <base64url JSON>` into an action by the sender, not a command", () => {
    const text = actionText("order.confirm", { id: "O-20261126-001", note: "确认 ✓" });
    const action = decodeAction(dingtalkRobotMessage({ text: `@opsbot ${text}` }));
    expect(action).toMatchObject({
      kind: "action",
      platform: "dingtalk",
      dedupKey: "dingtalk:msg:msgA1b2C3d4E5==",
      actionId: "order.confirm",
      value: { id: "O-20261126-001", note: "确认 ✓" },
      form: {},
      operator: { id: "manager4511", name: "王伟" },
      chat: { id: GROUP_ID, kind: "group" },
      message: { chatId: GROUP_ID, chatKind: "group" },
    });
    expect(action.message.outTrackId).toBeUndefined();
  });

  it("carries exactly the reserved text through the dtmd link", () => {
    const text = actionText("complaint.respond", { id: "C-20261126-002" });
    const link = new URL(sendMessageLink(text));
    expect(link.protocol).toBe("dtmd:");
    expect(link.searchParams.get("content")).toBe(text);
  });

  it.each([
    "/_ order.confirm !!not-base64!!",
    "/_ order.confirm WyJhIl0", // a JSON array, not an object of strings
    "/_ order.confirm eyJpZCI6MX0", // {"id":1}: a number value
    "/_ order.confirm",
  ])("hands a malformed reserved text (%s) to the router as plain text", (text) => {
    expect(decodeMessage(dingtalkRobotMessage({ text })).text).toBe(text);
  });
});

describe("decodeCardCallback", () => {
  const chat = { id: GROUP_ID, kind: "group" as const };

  it("decodes params.action, the JSON-string value and the other params as form inputs", async () => {
    const outTrackId = await outTrackIdFor("card:O-20261126-001:v1", chat);
    const body = dingtalkCardCallback({
      outTrackId,
      params: {
        action: "order.confirm",
        value: JSON.stringify({ id: "O-20261126-001" }),
        qty: 3,
        due: "2026-12-01",
      },
    });
    expect(decodeCardCallback(body, "1764122400000")).toEqual({
      kind: "action",
      platform: "dingtalk",
      dedupKey: `dingtalk:card:${outTrackId}:manager4511:1764122400000`,
      actionId: "order.confirm",
      value: { id: "O-20261126-001" },
      form: { qty: "3", due: "2026-12-01" },
      operator: { id: "manager4511" },
      chat,
      message: { chatId: GROUP_ID, chatKind: "group", outTrackId },
    });
  });

  it("falls back to the clicked component id when the template passes no action param", async () => {
    const outTrackId = await outTrackIdFor("k", { id: "manager4511", kind: "direct" });
    const action = decodeCardCallback(dingtalkCardCallback({ outTrackId, actionIds: ["accept"] }), "1");
    expect(action).toMatchObject({
      actionId: "accept",
      value: {},
      chat: { id: "manager4511", kind: "direct" },
    });
  });

  it("ignores callbacks for cards it did not create and other callback types", async () => {
    expect(decodeCardCallback(dingtalkCardCallback({ outTrackId: "order-123-v1" }), "1")).toBeNull();
    const outTrackId = await outTrackIdFor("k", chat);
    expect(
      decodeCardCallback({ ...dingtalkCardCallback({ outTrackId }), type: "dynamicData" }, "1"),
    ).toBeNull();
  });

  it("refuses a callback whose content is not JSON", async () => {
    const outTrackId = await outTrackIdFor("k", chat);
    const body = { ...dingtalkCardCallback({ outTrackId }), content: "{cardPrivateData:" };
    expect(() => decodeCardCallback(body, "1")).toThrow(expect.objectContaining({ code: "malformed" }));
  });

  it("gives two users clicking the same card different dedup keys", async () => {
    const outTrackId = await outTrackIdFor("k", chat);
    const params = { action: "inspect.submit" };
    const first = decodeCardCallback(dingtalkCardCallback({ outTrackId, params, userId: "a" }), "1");
    const second = decodeCardCallback(dingtalkCardCallback({ outTrackId, params, userId: "b" }), "1");
    expect(first?.dedupKey).not.toBe(second?.dedupKey);
  });
});

describe("out-track ids", () => {
  it("are stable per idempotency key and carry the chat back", async () => {
    const chat = { id: GROUP_ID, kind: "group" as const };
    const id = await outTrackIdFor("digest:chat:2026-11-26", chat);
    expect(await outTrackIdFor("digest:chat:2026-11-26", chat)).toBe(id);
    expect(await outTrackIdFor("digest:chat:2026-11-27", chat)).not.toBe(id);
    expect(id).toMatch(/^[0-9a-f]{24}\.g\.[A-Za-z0-9_-]+$/);
    expect(chatOfOutTrackId(id)).toEqual(chat);
  });
});

describe("parseJsonBody", () => {
  it.each([
    ["not JSON", new TextEncoder().encode("{msgtype:")],
    ["not UTF-8", new Uint8Array([0x7b, 0xff, 0x7d])],
    ["an array", new TextEncoder().encode("[]")],
  ])("refuses a body that is %s", (_name, bytes) => {
    expect(() => parseJsonBody(bytes)).toThrow(expect.objectContaining({ code: "malformed", status: 400 }));
  });
});
