// The top of the ladder made urgent (OPS_URGENT=on): Lark's in-app buzz and a DingTalk DING to the managers.
import type { OutboxItem } from "../../outbox/outbox.ts";
import type { DrawnMessage } from "../notifications/fan-out.ts";
import type { Recipient } from "../notifications/recipients.ts";

/**
 * The urgent notices that follow a notice sent to each manager's direct chat (`noticeKeyPrefix`, one row per
 * chat below it as fan-out.ts keys them), none before `notBefore` (the next moment inside working hours).
 *
 * Lark urges a message the bot sent, and only members of its chat: each manager is urged on their own copy,
 * keyed `<urgentKeyPrefix>:lark:<open_id>`. A DingTalk DING is a message of its own: one to every manager on
 * DingTalk, keyed `<urgentKeyPrefix>:dingtalk`. WeCom has no urgent notice: nothing is added for it.
 * Callers store these after the notices, in the same INSERT: a Lark urgent shares its manager's chat queue,
 * and the outbox sends a chat's rows in id order, so it must not stand before the message it urges.
 */
export function urgentItems(
  urgentKeyPrefix: string,
  noticeKeyPrefix: string,
  managers: readonly Recipient[],
  message: DrawnMessage,
  notBefore: Date,
): OutboxItem[] {
  const items: OutboxItem[] = [];
  const larkIds = new Set(managers.filter((m) => m.platform === "lark").map((m) => m.chatId));
  for (const openId of larkIds)
    items.push({
      idempotencyKey: `${urgentKeyPrefix}:lark:${openId}`,
      target: {
        kind: "urgent",
        platform: "lark",
        userIds: [openId],
        follows: `${noticeKeyPrefix}:lark:${openId}`,
        chatId: openId,
      },
      message,
      notBefore,
    });
  const dingIds = [...new Set(managers.filter((m) => m.platform === "dingtalk").map((m) => m.chatId))];
  if (dingIds.length > 0)
    items.push({
      idempotencyKey: `${urgentKeyPrefix}:dingtalk`,
      target: { kind: "urgent", platform: "dingtalk", userIds: dingIds },
      message,
      notBefore,
    });
  return items;
}
