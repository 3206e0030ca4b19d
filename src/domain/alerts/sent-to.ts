// Where an alert actually went: its notices' outbox rows name each chat, so a click is checked against them.
import { and, eq } from "drizzle-orm";
import type { PlatformId } from "../../chat/events.ts";
import { inJsonList } from "../../db/any-of.ts";
import type { Db } from "../../db/database.ts";
import { outbox } from "../../db/schema/index.ts";
import { noticeKeyPrefix } from "./levels.ts";
import { peopleRecipients } from "./recipients.ts";
import type { AlertRow } from "./store.ts";

/**
 * Whether a notice of `alert` was sent to this chat: one of its outbox rows (`<notice key>:<platform>:<chat>`,
 * see fan-out.ts) went out there. A chat that subscribed later, or never got it, does not count.
 */
export async function alertWasSentTo(
  db: Db,
  alert: AlertRow,
  chat: { platform: PlatformId; chatId: string },
): Promise<boolean> {
  if (alert.sentCount === 0) return false;
  const keys = Array.from(
    { length: alert.sentCount },
    (_, n) => `${noticeKeyPrefix(alert, n)}:${chat.platform}:${chat.chatId}`,
  );
  const [sent] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(inJsonList(outbox.idempotencyKey, keys), eq(outbox.status, "sent")))
    .limit(1);
  return sent !== undefined;
}

/** Whether a notice of `alert` went to a direct chat of any account of this person (on any platform). */
export async function alertWasSentToPerson(db: Db, alert: AlertRow, personId: number): Promise<boolean> {
  const direct = (await peopleRecipients(db, [personId])).get(personId) ?? [];
  for (const { platform, chatId } of direct)
    if (await alertWasSentTo(db, alert, { platform, chatId })) return true;
  return false;
}
