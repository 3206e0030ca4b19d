// calendar-reminder: from 1 November, one message a week to the alert groups while next year is provisional.

import { reminderText } from "../../commands/calendar/text.ts";
import { nextYearReminder, reminderKey } from "../domain/calendar/next-year-reminder.ts";
import { loadCalendarOverrides } from "../domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../domain/calendar/working-calendar.ts";
import { subscribedRecipients } from "../domain/notifications/recipients.ts";
import type { Job } from "./job.ts";

export const calendarReminderJob: Job = {
  name: "calendar-reminder",
  // The overdue sweep's schedule: no new Cron Trigger; outside November and December it returns at once.
  cron: "*/5 * * * *",
  description: "remind managers weekly from 1 November that next year's holidays are not confirmed yet",
  async run({ database: { db }, config: { timezone }, now, outbox }) {
    const calendar = createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
    const decision = await nextYearReminder(db, now, calendar);
    if (!decision.due) return decision.why;
    const text = reminderText(decision);
    const recipients = await subscribedRecipients(db, "alerts");
    const fresh = await outbox.enqueue(
      recipients.map((recipient) => ({
        idempotencyKey: reminderKey(recipient.platform, recipient.chatId, decision.weekOf),
        target: recipient.target,
        message: { type: "text", text },
      })),
    );
    if (fresh.length === 0) return `reminder for the week of ${decision.weekOf} already queued`;
    const counts = await outbox.deliver(fresh);
    return `${fresh.length} reminders for the week of ${decision.weekOf}: ${counts.sent} sent, ${counts.retried} to retry, ${counts.failed} failed, ${counts.deferred} deferred`;
  },
};
