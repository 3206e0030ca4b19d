// The console's WeCom: the intelligent robot's encrypted callbacks in; response_url posts and group webhooks out.
import { randomBytes } from "node:crypto";
import { createFakeWeComApi } from "../../test/fakes/wecom-api.ts";
import { nodeDecrypt, nodeEncrypt, nodeSignature } from "../../test/helpers/wecom-signer.ts";
import type { ConsoleCredentials } from "../credentials.ts";
import type { ConsoleDriver, ConsoleEvent } from "../driver.ts";
import { isRecord, parseJson, stringOf } from "../message-view.ts";
import { wecomView } from "./view.ts";

const ROBOT_ID = "console-robot";

export interface WeComDriverOptions {
  credentials: ConsoleCredentials["wecom"];
  /** The fake API's base URL (WECOM_API_BASE), for the response_url every callback carries. */
  apiBase: string;
  /** Group robot webhook keys of the console groups, by chat id. */
  webhookKeys: Map<string, string>;
}

export function createWeComDriver({ credentials, apiBase, webhookKeys }: WeComDriverOptions): ConsoleDriver {
  const fake = createFakeWeComApi({ ...credentials, webhookKeys: [...webhookKeys.values()] });
  const chatOfKey = new Map([...webhookKeys].map(([chatId, key]) => [key, chatId]));
  const chatOfResponseCode = new Map<string, string>();

  /** The robot's envelope: `{"encrypt"}` with receiveid "", signed in the query. */
  function signed(payload: unknown, now: Date): ConsoleEvent {
    const encrypt = nodeEncrypt(credentials.botEncodingAesKey, JSON.stringify(payload), "");
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const nonce = String(randomBytes(4).readUInt32BE());
    const query = new URLSearchParams({
      msg_signature: nodeSignature(credentials.botToken, timestamp, nonce, encrypt),
      timestamp,
      nonce,
    });
    return {
      payload,
      webhook: {
        path: `/webhooks/wecom/bot?${query}`,
        body: JSON.stringify({ encrypt }),
        headers: { "content-type": "application/json" },
      },
    };
  }

  /** Each callback carries a fresh single-use response_url; its code tells the capture which chat it was. */
  function callback(chatId: string, userId: string, msgid: string, rest: Record<string, unknown>) {
    const code = fake.openResponseCode();
    chatOfResponseCode.set(code, chatId);
    return {
      msgid,
      aibotid: ROBOT_ID,
      chatid: chatId,
      chattype: "group",
      from: { userid: userId },
      response_url: `${apiBase}/cgi-bin/aibot/response?response_code=${code}`,
      ...rest,
    };
  }
  return {
    platform: "wecom",
    fake,

    message({ chatId, userId, text, messageId, now }) {
      return signed(callback(chatId, userId, messageId, { msgtype: "text", text: { content: text } }), now);
    },

    click({ chatId, userId, data, form, now }) {
      const { key, taskId, cardType } = isRecord(data) ? data : {};
      const selected = Object.entries(form).map(([question, option]) => ({
        question_key: question,
        option_ids: { option_id: [option] },
      }));
      const event = {
        eventtype: "template_card_event",
        template_card_event: {
          card_type: cardType,
          event_key: key,
          task_id: taskId,
          ...(selected.length > 0 && { selected_items: { selected_item: selected } }),
        },
      };
      const msgid = `click-${randomBytes(6).toString("hex")}`;
      return signed(callback(chatId, userId, msgid, { msgtype: "event", event }), now);
    },

    /**
     * The robot replaces a clicked card only in its reply, `update_template_card`: encrypted in the webhook's
     * answer, plain in the long connection's `aibot_respond_update_msg`.
     */
    clickAnswer(answer) {
      const sealed = parseJson(answer);
      if (!isRecord(sealed)) return {};
      const encrypt = stringOf(sealed.encrypt);
      const reply = encrypt ? parseJson(nodeDecrypt(credentials.botEncodingAesKey, encrypt).message) : sealed;
      if (!isRecord(reply) || reply.response_type !== "update_template_card") return {};
      return { payload: { msgtype: "template_card", template_card: reply.template_card } };
    },

    capture({ url, body }, _answer, conversations) {
      const chatId =
        url.pathname === "/cgi-bin/aibot/response"
          ? chatOfResponseCode.get(url.searchParams.get("response_code") ?? "")
          : url.pathname === "/cgi-bin/webhook/send"
            ? chatOfKey.get(url.searchParams.get("key") ?? "")
            : undefined;
      // App messages go to one member's 1:1 chat, which the console does not show.
      if (chatId)
        conversations.add("wecom", chatId, {
          id: conversations.nextId("wecom-"),
          from: "bot",
          payload: body,
        });
    },

    view: wecomView,
  };
}
