// monthly-review: on the first working day of each month from REVIEW_PACK_TIME, each group subscribed to the review
// gets the previous month's pack once (src/domain/review).
import { reviewPackCard } from "../../commands/review/cards.ts";
import { loadCalendarOverrides } from "../domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../domain/calendar/working-calendar.ts";
import { subscribedRecipients } from "../domain/notifications/recipients.ts";
import { computeReviewPack } from "../domain/review/pack.ts";
import { reviewMonthDue, reviewPackKey } from "../domain/review/schedule.ts";
import type { OutboxItem } from "../outbox/outbox.ts";
import type { Job } from "./job.ts";

/** The pack speaks the company's language, as the digest does. */
const PACK_LANGUAGE = "zh";

export const monthlyReviewJob: Job = {
  name: "monthly-review",
  cron: "*/5 * * * *",
  description:
    "send the previous month's review pack to each subscribed group on the month's first working day",
  async run({ database: { db }, config: { timezone }, now, outbox }) {
    const calendar = createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
    const month = reviewMonthDue(now, calendar);
    if (month === null) return "no review pack due";
    const recipients = await subscribedRecipients(db, "review");
    // Packs the outbox already holds were sent or are on their way: the pack is computed only when one is owed.
    const queued = await outbox.stored(recipients.map((recipient) => reviewPackKey(recipient, month)));
    const owed = recipients.filter((recipient) => !queued.has(reviewPackKey(recipient, month)));
    if (owed.length === 0) return `no review pack owed for ${month}`;
    const pack = await computeReviewPack(db, { month, now, timezone, calendar });
    const card = reviewPackCard(pack, PACK_LANGUAGE);
    const items: OutboxItem[] = owed.map((recipient) => ({
      idempotencyKey: reviewPackKey(recipient, month),
      target: recipient.target,
      message: { type: "card", card },
    }));
    const fresh = await outbox.enqueue(items);
    const counts = await outbox.deliver(fresh);
    return `${fresh.length} review packs for ${month}: ${counts.sent} sent, ${counts.retried} to retry, ${counts.failed} failed, ${counts.deferred} deferred`;
  },
};
