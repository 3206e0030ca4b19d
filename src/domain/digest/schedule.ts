// Which subscribed groups are owed today's digest at a given instant, and the key that makes each one send once.
import type { Language } from "../../chat/language.ts";
import type { Db } from "../../db/database.ts";
import { type LocalDate, localDateOf, localTimeOfDay, parseTimeOfDay } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { type Recipient, subscribedRecipients } from "../notifications/recipients.ts";
import { DEFAULT_DIGEST_TIME } from "../policy.ts";
import { listSubscriptions } from "../subscriptions/subscriptions.ts";

/** A group subscribed to the digest that can be reached, with its local send time and its language. */
export interface DigestRecipient extends Recipient {
  sendAt: string;
  language: Language;
}

/** The outbox key of one group's digest for one local day: the same on every instance, tick and rerun. */
export const digestKey = (recipient: Recipient, date: LocalDate): string =>
  `digest:${recipient.platform}:${recipient.chatId}:${date}`;

/** The reachable digest subscribers (the notification rules decide reachability) with their send times. */
export async function digestRecipients(db: Db): Promise<DigestRecipient[]> {
  const [subscribers, reachable] = await Promise.all([
    listSubscriptions(db, "digest"),
    subscribedRecipients(db, "digest"),
  ]);
  const byChat = new Map(subscribers.map((s) => [`${s.platform}:${s.chatId}`, s]));
  return reachable.map((recipient) => {
    const subscriber = byChat.get(`${recipient.platform}:${recipient.chatId}`);
    return {
      ...recipient,
      sendAt: subscriber?.sendAt ?? DEFAULT_DIGEST_TIME,
      language: subscriber?.language ?? "zh",
    };
  });
}

/**
 * The recipients whose send time has passed on `now`'s local day, if that day is a working day. A time
 * that passed while no process ran still counts, so a missed digest goes out once the same day; a past day
 * is never looked at, so it is not sent a day late.
 */
export function dueToday(
  recipients: readonly DigestRecipient[],
  now: Date,
  calendar: WorkingCalendar,
): { date: LocalDate; working: boolean; due: DigestRecipient[] } {
  const date = localDateOf(now, calendar.timezone);
  if (!calendar.isWorkingDay(date).working) return { date, working: false, due: [] };
  const timeOfDay = localTimeOfDay(now, calendar.timezone);
  return { date, working: true, due: recipients.filter((r) => parseTimeOfDay(r.sendAt) <= timeOfDay) };
}
