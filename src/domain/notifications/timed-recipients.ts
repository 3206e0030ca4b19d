// Pushes sent once a working day at a time each group chose (the digest, the production schedule): who is owed one.
import type { Language } from "../../chat/language.ts";
import type { Db } from "../../db/database.ts";
import { type LocalDate, localDateOf, localTimeOfDay, parseTimeOfDay } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { listSubscriptions, type Topic } from "../subscriptions/subscriptions.ts";
import { type Recipient, subscribedRecipients } from "./recipients.ts";

/** A group subscribed to a daily push that can be reached, with its local send time and the language it chose. */
export interface TimedRecipient extends Recipient {
  sendAt: string;
  language: Language;
}

/** The reachable subscribers of `topic` (the notification rules decide reachability) with their send times. */
export async function timedRecipients(db: Db, topic: Topic, defaultTime: string): Promise<TimedRecipient[]> {
  const [subscribers, reachable] = await Promise.all([
    listSubscriptions(db, topic),
    subscribedRecipients(db, topic),
  ]);
  const byChat = new Map(subscribers.map((s) => [`${s.platform}:${s.chatId}`, s]));
  return reachable.map((recipient) => {
    const subscriber = byChat.get(`${recipient.platform}:${recipient.chatId}`);
    return {
      ...recipient,
      sendAt: subscriber?.sendAt ?? defaultTime,
      language: subscriber?.language ?? "zh",
    };
  });
}

/**
 * The recipients whose send time has passed on `now`'s local day, if that day is a working day. A time
 * that passed while no process ran still counts, so a missed push goes out once the same day; a past day
 * is never looked at, so it is not sent a day late.
 */
export function dueToday<R extends TimedRecipient>(
  recipients: readonly R[],
  now: Date,
  calendar: WorkingCalendar,
): { date: LocalDate; working: boolean; due: R[] } {
  const date = localDateOf(now, calendar.timezone);
  if (!calendar.isWorkingDay(date).working) return { date, working: false, due: [] };
  const timeOfDay = localTimeOfDay(now, calendar.timezone);
  return { date, working: true, due: recipients.filter((r) => parseTimeOfDay(r.sendAt) <= timeOfDay) };
}
