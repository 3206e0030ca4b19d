// kpi-digest: every minute, sends each subscribed group's morning digest once its send time has passed today.
import { renderDigestCard } from "../../commands/digest/cards.ts";
import { loadCalendarOverrides } from "../domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../domain/calendar/working-calendar.ts";
import { computeDigest } from "../domain/digest/content.ts";
import { digestKey, digestRecipients } from "../domain/digest/schedule.ts";
import { dueToday } from "../domain/notifications/timed-recipients.ts";
import type { OutboxItem } from "../outbox/outbox.ts";
import type { Job } from "./job.ts";

export const kpiDigestJob: Job = {
  name: "kpi-digest",
  cron: "* * * * *",
  description: "send the morning KPI digest to each subscribed group at its time on working days",
  async run({ database: { db }, config: { timezone }, now, outbox }) {
    const calendar = createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
    const { date, working, due } = dueToday(await digestRecipients(db), now, calendar);
    if (!working) return `${date} is not a working day`;
    // Digests the outbox already holds were sent or are on their way.
    const queued = await outbox.stored(due.map((recipient) => digestKey(recipient, date)));
    const owed = due.filter((recipient) => !queued.has(digestKey(recipient, date)));
    if (owed.length === 0) return `no digest owed for ${date}`;

    // One content for every group: the numbers are the company's, not the group's; the words are the group's.
    const content = await computeDigest(db, { now, timezone, calendar });
    const cards = { zh: renderDigestCard(content, "zh"), en: renderDigestCard(content, "en") };
    const items: OutboxItem[] = owed.map((recipient) => ({
      idempotencyKey: digestKey(recipient, date),
      target: recipient.target,
      message: { type: "card", card: cards[recipient.language] },
    }));
    // Another instance or a rerun may have stored some of them meanwhile: only the keys new here are ours.
    const fresh = await outbox.enqueue(items);
    const counts = await outbox.deliver(fresh);
    return `${fresh.length} digests for ${date}: ${counts.sent} sent, ${counts.retried} to retry, ${counts.failed} failed, ${counts.deferred} deferred`;
  },
};
