// Where pushes go: the chats subscribed to a topic, or the chat an event came from, each as a reachable Target.

import type { ChatRef, PlatformId, Target } from "../../chat/events.ts";
import type { Db } from "../../db/database.ts";
import { chatWebhook, listSubscriptions, type Topic } from "../subscriptions/subscriptions.ts";

/** One chat a push goes to; `platform` and `chatId` make its part of the idempotency key. */
export interface Recipient {
  platform: PlatformId;
  chatId: string;
  target: Target;
}

/** The WeCom app API cannot post into a group it did not create: such a group needs its robot's webhook. */
const isReachable = ({ target }: Recipient): boolean =>
  !(target.kind === "chat" && target.platform === "wecom" && target.chatKind === "group");

/** The chats subscribed to `topic` that can be reached, in a stable order. */
export async function subscribedRecipients(db: Db, topic: Topic): Promise<Recipient[]> {
  const subscribers = await listSubscriptions(db, topic);
  return subscribers
    .map(({ platform, chatId, target }) => ({ platform, chatId, target }))
    .filter(isReachable);
}

/** The chat an event came from, through its group robot's webhook when it has one; null if unreachable. */
export async function chatRecipient(db: Db, platform: PlatformId, chat: ChatRef): Promise<Recipient | null> {
  const webhookUrl = await chatWebhook(db, platform, chat.id);
  const target: Target = webhookUrl
    ? { kind: "webhook", platform, chatId: chat.id }
    : { kind: "chat", platform, chatId: chat.id, chatKind: chat.kind };
  const recipient = { platform, chatId: chat.id, target };
  return isReachable(recipient) ? recipient : null;
}
