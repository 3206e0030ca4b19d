// Lark's webhook crypto as Lark does it, with node:crypto (independent of src/platforms), and request builders
// for the tests and the console.
import { createCipheriv, createHash, randomBytes } from "node:crypto";

/** base64(iv ‖ AES-256-CBC(SHA-256(encryptKey), iv, PKCS#7(plain))), Lark's `encrypt` value. */
export function larkEncrypt(plain: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const key = createHash("sha256").update(encryptKey, "utf8").digest();
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([iv, cipher.update(plain, "utf8"), cipher.final()]).toString("base64");
}

/** hex(SHA-256(timestamp + nonce + encryptKey + body)). */
export function larkSign(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash("sha256")
    .update(timestamp + nonce + encryptKey, "utf8")
    .update(body, "utf8")
    .digest("hex");
}

export interface LarkMentionSpec {
  /** Placeholder the text uses, e.g. "@_user_1". */
  key: string;
  openId: string;
  name: string;
  /** "bot" or "user" as Lark sends it; omit to leave the field out, like older payloads. */
  mentionedType?: "bot" | "user";
  userId?: string;
}

export interface LarkMessageEventSpec {
  token: string;
  text: string;
  messageId?: string;
  eventId?: string;
  chatId?: string;
  chatType?: "group" | "p2p";
  senderOpenId?: string;
  senderType?: string;
  mentions?: LarkMentionSpec[];
  /** Defaults to "text"; with "post" the text becomes one paragraph of text/at elements. */
  messageType?: "text" | "post" | "image";
  createTime?: string;
}

/** A schema 2.0 `im.message.receive_v1` envelope. */
export function larkMessageEvent(spec: LarkMessageEventSpec): Record<string, unknown> {
  const messageId = spec.messageId ?? "om_test_message_1";
  const messageType = spec.messageType ?? "text";
  return {
    schema: "2.0",
    header: {
      event_id: spec.eventId ?? `ev_${messageId}`,
      event_type: "im.message.receive_v1",
      create_time: spec.createTime ?? "1780000000000",
      token: spec.token,
      app_id: "cli_a1b2c3d4e5f60718",
      tenant_key: "tenant_test",
    },
    event: {
      sender: {
        sender_id: { open_id: spec.senderOpenId ?? "ou_sender", union_id: "on_sender" },
        sender_type: spec.senderType ?? "user",
        tenant_key: "tenant_test",
      },
      message: {
        message_id: messageId,
        create_time: spec.createTime ?? "1780000000000",
        chat_id: spec.chatId ?? "oc_test_chat",
        chat_type: spec.chatType ?? "group",
        message_type: messageType,
        content: JSON.stringify(messageContent(messageType, spec.text)),
        mentions: (spec.mentions ?? []).map((mention) => ({
          key: mention.key,
          id: {
            open_id: mention.openId,
            union_id: `on_${mention.openId}`,
            ...(mention.userId === undefined ? {} : { user_id: mention.userId }),
          },
          name: mention.name,
          tenant_key: "tenant_test",
          ...(mention.mentionedType ? { mentioned_type: mention.mentionedType } : {}),
        })),
      },
    },
  };
}

function messageContent(messageType: string, text: string): unknown {
  if (messageType === "post") {
    const elements = text
      .split(/(@_user_\d+)/)
      .filter(Boolean)
      .map((part) =>
        /^@_user_\d+$/.test(part)
          ? { tag: "at", user_id: part, user_name: part }
          : { tag: "text", text: part },
      );
    return { title: "", content: [elements] };
  }
  if (messageType === "image") return { image_key: "img_v3_test" };
  return { text };
}

export interface LarkCardActionSpec {
  token: string;
  /** The button's callback value, e.g. {action: "order.confirm", id: "O-20261126-001"}. */
  value: unknown;
  formValue?: Record<string, unknown>;
  eventId?: string;
  cardToken?: string;
  operatorOpenId?: string;
  chatId?: string;
  messageId?: string;
}

/** A schema 2.0 `card.action.trigger` callback envelope. */
export function larkCardAction(spec: LarkCardActionSpec): Record<string, unknown> {
  const action: Record<string, unknown> = { value: spec.value, tag: "button", timezone: "Asia/Shanghai" };
  if (spec.formValue) action.form_value = spec.formValue;
  return {
    schema: "2.0",
    header: {
      event_id: spec.eventId ?? "ev_card_1",
      token: spec.token,
      create_time: "1780000000000000",
      event_type: "card.action.trigger",
      tenant_key: "tenant_test",
      app_id: "cli_a1b2c3d4e5f60718",
    },
    event: {
      operator: {
        tenant_key: "tenant_test",
        open_id: spec.operatorOpenId ?? "ou_operator",
        union_id: "on_op",
      },
      token: spec.cardToken ?? "c-card-token-1",
      action,
      host: "im_message",
      context: {
        open_message_id: spec.messageId ?? "om_card_1",
        open_chat_id: spec.chatId ?? "oc_test_chat",
      },
    },
  };
}

/** The url_verification body Lark posts when the request URL is saved. */
export const larkUrlVerification = (token: string, challenge: string) => ({
  challenge,
  token,
  type: "url_verification",
});

/** The default signing time of signLarkRequest; pass it (or something within an hour) as `request.now`. */
export const LARK_SIGNED_AT = new Date(1_780_000_000 * 1000);

export interface LarkSignOptions {
  /** Without one, the body goes out plain and unsigned (an app with no Encrypt Key). */
  encryptKey?: string;
  /** Seconds since the epoch, as Lark sends it. */
  timestamp?: string;
  nonce?: string;
  /** Encrypt the body into `{"encrypt"}` (default when there is a key, as Lark does). */
  encrypt?: boolean;
  /** Leave out the signature headers (url_verification comes that way). */
  unsigned?: boolean;
}

/** A ready webhook request: the exact body string and its headers. */
export function signLarkRequest(
  payload: unknown,
  options: LarkSignOptions = {},
): { body: string; headers: Record<string, string> } {
  const plain = typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  const { encryptKey } = options;
  if (!encryptKey) return { body: plain, headers };
  const body =
    options.encrypt === false ? plain : JSON.stringify({ encrypt: larkEncrypt(plain, encryptKey) });
  if (options.unsigned) return { body, headers };
  const timestamp = options.timestamp ?? String(LARK_SIGNED_AT.getTime() / 1000);
  const nonce = options.nonce ?? "nonce-1";
  headers["x-lark-request-timestamp"] = timestamp;
  headers["x-lark-request-nonce"] = nonce;
  headers["x-lark-signature"] = larkSign(timestamp, nonce, encryptKey, body);
  return { body, headers };
}
