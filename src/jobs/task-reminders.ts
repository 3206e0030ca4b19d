// The task-reminders job: every 5 minutes, reminds each owner of a task due the next working day (src/domain/tasks).
import { taskReminderCard } from "../../commands/tasks/cards.ts";
import { sendDueReminders } from "../domain/tasks/reminders.ts";
import type { Job } from "./job.ts";

export const taskRemindersJob: Job = {
  name: "task-reminders",
  // The overdue sweep's schedule: no new Cron Trigger; the overdue alerts of tasks are the sweep's.
  cron: "*/5 * * * *",
  description: "remind each task's owner on the working day before its due date (or when snoozed)",
  async run({ database: { db }, outbox, now }) {
    const { reminded, counts } = await sendDueReminders(
      { db, outbox, draw: (task) => ({ type: "card", card: taskReminderCard(task) }) },
      now,
    );
    return `${reminded} reminders (${counts.sent} messages sent, ${counts.retried} to retry, ${counts.failed} failed)`;
  },
};
