// production-schedule: every minute, sends each group subscribed to the schedule the day's plan, one card per line,
// once its time (default 08:00) has passed on a working day.
import { scheduleCards } from "../../commands/orders/schedule-cards.ts";
import type { LocalDate } from "../domain/calendar/local-time.ts";
import { loadCalendarOverrides } from "../domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../domain/calendar/working-calendar.ts";
import type { Recipient } from "../domain/notifications/recipients.ts";
import { dueToday, timedRecipients } from "../domain/notifications/timed-recipients.ts";
import { loadSchedule } from "../domain/orders/index.ts";
import { SCHEDULE_TIME } from "../domain/policy.ts";
import type { OutboxItem } from "../outbox/outbox.ts";
import type { Job } from "./job.ts";

/** The plan speaks the company's language, as the digest does. */
const SCHEDULE_LANGUAGE = "zh";

/**
 * The outbox key of a group's `index`-th card of the day: the first one's key is the day's, and a group whose
 * first key is stored got the whole plan (its cards are stored in one statement).
 */
export const scheduleKey = (recipient: Recipient, date: LocalDate, index = 0): string =>
  `schedule:${recipient.platform}:${recipient.chatId}:${date}${index === 0 ? "" : `:${index + 1}`}`;

export const productionScheduleJob: Job = {
  name: "production-schedule",
  cron: "* * * * *",
  description:
    "send each subscribed group the day's production plan, one card per line, at 08:00 on working days",
  async run({ database: { db }, config: { timezone }, now, outbox }) {
    const calendar = createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
    const recipients = await timedRecipients(db, "schedule", SCHEDULE_TIME);
    const { date, working, due } = dueToday(recipients, now, calendar);
    if (!working) return `${date} is not a working day`;
    const queued = await outbox.stored(due.map((recipient) => scheduleKey(recipient, date)));
    const owed = due.filter((recipient) => !queued.has(scheduleKey(recipient, date)));
    if (owed.length === 0) return `no schedule owed for ${date}`;

    // One plan for every group: the lines are the factory's, not the group's.
    const cards = scheduleCards(await loadSchedule(db, { now, timezone }), SCHEDULE_LANGUAGE);
    if (cards.length === 0) return `no production line or open order on ${date}`;
    const items: OutboxItem[] = owed.flatMap((recipient) =>
      cards.map((card, index) => ({
        idempotencyKey: scheduleKey(recipient, date, index),
        target: recipient.target,
        message: { type: "card" as const, card },
      })),
    );
    // Another instance or a rerun may have stored some of them meanwhile: only the keys new here are ours.
    const fresh = await outbox.enqueue(items);
    const counts = await outbox.deliver(fresh);
    return `${fresh.length} schedule cards for ${date}: ${counts.sent} sent, ${counts.retried} to retry, ${counts.failed} failed, ${counts.deferred} deferred`;
  },
};
