// The console's Lark: encrypted, signed events and card callbacks in; the fake open platform's deliveries out.
import { randomBytes } from "node:crypto";
import { createFakeLarkApi } from "../../test/fakes/lark-api.ts";
import { larkEncrypt, larkSign } from "../../test/helpers/lark-signer.ts";
import type { ConsoleCredentials } from "../credentials.ts";
import type { ConsoleDriver, ConsoleEvent } from "../driver.ts";
import { isRecord, parseJson, stringOf } from "../message-view.ts";
import { type LarkPayload, larkView } from "./view.ts";

const TENANT = "console";

export function createLarkDriver(credentials: ConsoleCredentials["lark"]): ConsoleDriver {
  const fake = createFakeLarkApi(credentials);

  /** As Lark posts with an Encrypt Key: `{"encrypt"}`, signed over timestamp, nonce, key and body. */
  function signed(envelope: unknown, now: Date): ConsoleEvent {
    const body = JSON.stringify({ encrypt: larkEncrypt(JSON.stringify(envelope), credentials.encryptKey) });
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const nonce = randomBytes(8).toString("hex");
    return {
      payload: envelope,
      webhook: {
        path: "/webhooks/lark",
        body,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "x-lark-request-timestamp": timestamp,
          "x-lark-request-nonce": nonce,
          "x-lark-signature": larkSign(timestamp, nonce, credentials.encryptKey, body),
        },
      },
    };
  }

  const header = (eventId: string, eventType: string, now: Date) => ({
    event_id: eventId,
    event_type: eventType,
    create_time: String(now.getTime()),
    token: credentials.verificationToken,
    app_id: credentials.appId,
    tenant_key: TENANT,
  });

  return {
    platform: "lark",
    fake,

    message({ chatId, userId, text, messageId, now }) {
      return signed(
        {
          schema: "2.0",
          header: header(`ev_${messageId}`, "im.message.receive_v1", now),
          event: {
            sender: { sender_id: { open_id: userId }, sender_type: "user", tenant_key: TENANT },
            message: {
              message_id: messageId,
              create_time: String(now.getTime()),
              chat_id: chatId,
              chat_type: "group",
              message_type: "text",
              content: JSON.stringify({ text }),
              mentions: [],
            },
          },
        },
        now,
      );
    },

    click({ chatId, userId, message, data, form, now }) {
      const eventId = `ev_click_${randomBytes(6).toString("hex")}`;
      return signed(
        {
          schema: "2.0",
          header: header(eventId, "card.action.trigger", now),
          event: {
            operator: { open_id: userId, tenant_key: TENANT },
            // A card token per click, as Lark issues them; the bot may update the card with it.
            token: `c-${message.id}-${eventId}`,
            action: {
              value: data,
              tag: "button",
              ...(Object.keys(form).length > 0 && { form_value: form }),
            },
            host: "im_message",
            context: { open_message_id: message.id, open_chat_id: chatId },
          },
        },
        now,
      );
    },

    clickAnswer(answer) {
      const parsed = parseJson(answer);
      if (!isRecord(parsed)) return {};
      const card = isRecord(parsed.card) ? parsed.card.data : undefined;
      const toast = isRecord(parsed.toast) ? stringOf(parsed.toast.content) : undefined;
      return {
        ...(card !== undefined && {
          payload: { msg_type: "interactive", content: JSON.stringify(card) } satisfies LarkPayload,
        }),
        ...(toast && { toast }),
      };
    },

    capture({ method, url, body }, answer, conversations) {
      const fields = isRecord(body) ? body : {};
      const data = isRecord(answer.body) && isRecord(answer.body.data) ? answer.body.data : {};
      const payload = { msg_type: String(fields.msg_type), content: String(fields.content) };
      const newId = stringOf(data.message_id);
      if (method === "POST" && url.pathname === "/open-apis/im/v1/messages") {
        // Direct messages to people (receive_id_type open_id) have no console group to show them in.
        if (url.searchParams.get("receive_id_type") === "chat_id" && newId)
          conversations.add("lark", String(fields.receive_id), { id: newId, from: "bot", payload });
        return;
      }
      const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(url.pathname);
      const chatId = reply?.[1] ? conversations.chatOf("lark", reply[1]) : undefined;
      if (chatId && newId) {
        conversations.add("lark", chatId, { id: newId, from: "bot", payload });
        return;
      }
      const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(url.pathname);
      if (method === "PATCH" && patch?.[1]) {
        conversations.update("lark", patch[1], {
          payload: { msg_type: "interactive", content: payload.content },
        });
        return;
      }
      const token = stringOf(fields.token);
      if (url.pathname === "/open-apis/interactive/v1/card/update" && token) {
        const messageId = /^c-(.+)-ev_click_[0-9a-f]+$/.exec(token)?.[1];
        if (messageId)
          conversations.update("lark", messageId, {
            payload: { msg_type: "interactive", content: JSON.stringify(fields.card) },
          });
      }
    },

    view: larkView,
  };
}
