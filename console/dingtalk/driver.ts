// The console's DingTalk: signed robot messages and card callbacks in; the fake API's cards and messages out.

import { createFakeDingTalkApi } from "../../test/fakes/dingtalk-api.ts";
import { signDingTalk, signDingTalkCard } from "../../test/helpers/dingtalk-signer.ts";
import type { ConsoleCredentials } from "../credentials.ts";
import type { ConsoleDriver } from "../driver.ts";
import { isRecord, parseJson, stringOf } from "../message-view.ts";
import { type DingTalkPayload, dingtalkView } from "./view.ts";

const CORP_ID = "dingconsolecorp";
const BOT_ID = "$:LWCP_v1:$consolebot";
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

export function createDingTalkDriver(credentials: ConsoleCredentials["dingtalk"]): ConsoleDriver {
  const fake = createFakeDingTalkApi(credentials);

  return {
    platform: "dingtalk",
    fake,

    // No sessionWebhook: the adapter only trusts one on DingTalk's own path, so replies use the server API.
    message({ chatId, title, userId, name, text, messageId, now }) {
      const body = {
        msgtype: "text",
        text: { content: text },
        msgId: messageId,
        createAt: now.getTime(),
        conversationType: "2",
        conversationId: chatId,
        conversationTitle: title,
        senderId: `$:LWCP_v1:$${userId}`,
        senderNick: name,
        senderStaffId: userId,
        senderCorpId: CORP_ID,
        chatbotUserId: BOT_ID,
        chatbotCorpId: CORP_ID,
        robotCode: credentials.robotCode,
        isAdmin: false,
        isInAtList: true,
        atUsers: [{ dingtalkId: BOT_ID }],
      };
      return {
        payload: body,
        webhook: {
          path: "/webhooks/dingtalk",
          body: JSON.stringify(body),
          headers: { ...JSON_HEADERS, ...signDingTalk(now.getTime(), credentials.clientSecret) },
        },
      };
    },

    click({ userId, message, data, form, now }) {
      const { action, value } = isRecord(data) ? data : {};
      const body = {
        type: "actionCallback",
        outTrackId: message.id,
        corpId: CORP_ID,
        userId,
        content: JSON.stringify({
          cardPrivateData: { actionIds: [String(action)], params: { ...form, action, value } },
        }),
      };
      return {
        payload: body,
        webhook: {
          path: "/webhooks/dingtalk/cards",
          body: JSON.stringify(body),
          headers: { ...JSON_HEADERS, ...signDingTalkCard(now.getTime(), credentials.cardCallbackSecret) },
        },
      };
    },

    /** The callback answer updates the card's public data by key; the toast is the clicker's private data. */
    clickAnswer(answer, clicked) {
      const parsed = parseJson(answer);
      if (!isRecord(parsed)) return {};
      const cardData = isRecord(parsed.cardData) ? parsed.cardData.cardParamMap : undefined;
      const privateData = isRecord(parsed.userPrivateData) ? parsed.userPrivateData.cardParamMap : undefined;
      const toast = isRecord(privateData) ? stringOf(privateData.toast) : undefined;
      const before = clicked.payload as DingTalkPayload;
      return {
        ...(isRecord(cardData) &&
          before.kind === "card" && {
            payload: {
              kind: "card",
              cardParamMap: { ...before.cardParamMap, ...(cardData as Record<string, string>) },
            } satisfies DingTalkPayload,
          }),
        ...(toast && { toast }),
      };
    },

    capture({ method, url, body }, answer, conversations) {
      const fields = isRecord(body) ? body : {};
      const endpoint = `${method} ${url.pathname}`;
      if (endpoint === "POST /v1.0/robot/groupMessages/send") {
        const id = isRecord(answer.body) ? stringOf(answer.body.processQueryKey) : undefined;
        conversations.add("dingtalk", String(fields.openConversationId), {
          id: id ?? conversations.nextId("pqk-"),
          from: "bot",
          payload: { kind: "robot", msgKey: String(fields.msgKey), msgParam: String(fields.msgParam) },
        });
        return;
      }
      const outTrackId = stringOf(fields.outTrackId);
      const card = outTrackId ? fake.cards.get(outTrackId) : undefined;
      if (!outTrackId || !card) return;
      const payload: DingTalkPayload = { kind: "card", cardParamMap: { ...card.cardParamMap } };
      if (endpoint === "PUT /v1.0/card/instances") {
        conversations.update("dingtalk", outTrackId, { payload });
        return;
      }
      const group = /^dtv1\.card\/\/IM_GROUP\.(.+)$/.exec(card.openSpaceId)?.[1];
      if (endpoint === "POST /v1.0/card/instances/createAndDeliver" && group)
        conversations.add("dingtalk", group, { id: outTrackId, from: "bot", payload });
    },

    view: dingtalkView,
  };
}
