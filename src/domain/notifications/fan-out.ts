// One message to many chats through the outbox, one row each under `<key prefix>:<platform>:<chat id>`.

import type { Db } from "../../db/database.ts";
import type { Outbox, OutboxCounts, OutboxItem } from "../../outbox/outbox.ts";
import type { Recipient } from "./recipients.ts";

/** A message a command drew, on its way to the outbox: the domain passes it on and never looks inside. */
export type DrawnMessage = OutboxItem["message"];

/** The outbox rows for `message` to each recipient; a chat named twice gets one row. */
export function fanOutItems(
  keyPrefix: string,
  recipients: readonly Recipient[],
  message: DrawnMessage,
): OutboxItem[] {
  const byKey = new Map<string, OutboxItem>();
  for (const { platform, chatId, target } of recipients) {
    const idempotencyKey = `${keyPrefix}:${platform}:${chatId}`;
    if (!byKey.has(idempotencyKey)) byKey.set(idempotencyKey, { idempotencyKey, target, message });
  }
  return [...byKey.values()];
}

/**
 * Stores the rows (in `tx` when given, so they commit with the change they announce) and returns every key,
 * including those already stored by an earlier run: delivering them again sends only what is still pending.
 */
export async function enqueueFanOut(
  outbox: Outbox,
  items: readonly OutboxItem[],
  tx?: Db,
): Promise<string[]> {
  if (items.length > 0) await outbox.enqueue([...items], tx);
  return items.map((item) => item.idempotencyKey);
}

/** Enqueues `message` for every recipient and sends it at once; a repeat of the same prefix sends nothing new. */
export async function fanOut(
  outbox: Outbox,
  keyPrefix: string,
  recipients: readonly Recipient[],
  message: DrawnMessage,
): Promise<{ keys: string[]; counts: OutboxCounts }> {
  const keys = await enqueueFanOut(outbox, fanOutItems(keyPrefix, recipients, message));
  return { keys, counts: await outbox.deliver(keys) };
}
