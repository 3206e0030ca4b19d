// roster-shortage: alerts the alert groups to short posts at 16:00 the working day before and at 07:30 on the day.
import { shortageText } from "../../commands/roster/text.ts";
import { loadCalendarOverrides } from "../domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../domain/calendar/working-calendar.ts";
import { subscribedRecipients } from "../domain/notifications/recipients.ts";
import { rosterOf } from "../domain/roster/roster.ts";
import { dueShortageChecks, shortageKey } from "../domain/roster/shortage-slots.ts";
import type { OutboxItem } from "../outbox/outbox.ts";
import type { Job } from "./job.ts";

/** Alerts speak the company's language, as the digest does. */
const ALERT_LANGUAGE = "zh";

export const rosterShortageJob: Job = {
  name: "roster-shortage",
  cron: "*/5 * * * *",
  description: "alert short roster posts of the next working day at 16:00 the day before and again at 07:30",
  async run({ database: { db }, config: { timezone }, now, outbox }) {
    const calendar = createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
    const checks = dueShortageChecks(now, calendar);
    if (checks.length === 0) return "no roster check due";
    const recipients = await subscribedRecipients(db, "alerts");
    const items: OutboxItem[] = [];
    for (const check of checks) {
      const short = (await rosterOf(db, check.day)).filter((post) => post.short);
      for (const post of short)
        for (const recipient of recipients)
          items.push({
            idempotencyKey: shortageKey(recipient, check, post.post),
            target: recipient.target,
            message: { type: "text", text: shortageText(post, ALERT_LANGUAGE) },
          });
    }
    // Keys already stored were alerted by an earlier tick or another instance: only the new ones are ours.
    const fresh = await outbox.enqueue(items);
    if (fresh.length === 0) return "no new short post";
    const counts = await outbox.deliver(fresh);
    return `${fresh.length} roster alerts: ${counts.sent} sent, ${counts.retried} to retry, ${counts.failed} failed, ${counts.deferred} deferred`;
  },
};
