// training-gaps: in a quarter's last month, on each week's first working day at TRAINING_GAP_TIME, tells each
// manager directly who has no training record in the quarter yet (src/domain/training).
import { trainingGapText } from "../../commands/training/text.ts";
import { managerRecipients } from "../domain/alerts/recipients.ts";
import { loadCalendarOverrides } from "../domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../domain/calendar/working-calendar.ts";
import { trainingGapDue, trainingGapKey } from "../domain/training/quarter.ts";
import { untrainedPeople } from "../domain/training/records.ts";
import type { OutboxItem } from "../outbox/outbox.ts";
import type { Job } from "./job.ts";

export const trainingGapsJob: Job = {
  name: "training-gaps",
  cron: "*/5 * * * *",
  description:
    "list to the managers who has not been trained this quarter, weekly in the quarter's last month",
  async run({ database: { db }, config: { timezone }, now, outbox }) {
    const calendar = createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
    const due = trainingGapDue(now, calendar);
    if (!due) return "no training listing due";
    const untrained = await untrainedPeople(db, due.quarter);
    if (untrained.length === 0) return `everyone trained in ${due.quarter.label}`;
    const text = trainingGapText(
      due.quarter,
      untrained.map((person) => person.name),
    );
    const items: OutboxItem[] = (await managerRecipients(db)).map((recipient) => ({
      idempotencyKey: trainingGapKey(recipient, due.day),
      target: recipient.target,
      message: { type: "text", text },
    }));
    // Keys already stored were sent by an earlier tick or another instance: only the new ones are ours.
    const fresh = await outbox.enqueue(items);
    if (fresh.length === 0) return `training listing for ${due.day} already sent`;
    const counts = await outbox.deliver(fresh);
    return `${untrained.length} untrained in ${due.quarter.label} listed to ${fresh.length} manager chats: ${counts.sent} sent`;
  },
};
