// The one list of scheduled jobs: node-cron on Node and Cron Triggers on Workers both read it.
import { calendarReminderJob } from "./calendar-reminder.ts";
import { inboxSweepJob, outboxDrainJob } from "./delivery-jobs.ts";
import { housekeepingJob } from "./housekeeping.ts";
import type { Job } from "./job.ts";
import { kpiDigestJob } from "./kpi-digest.ts";
import { maintenanceScheduleJob } from "./maintenance-schedule.ts";
import { monthlyReviewJob } from "./monthly-review.ts";
import { overdueSweepJob } from "./overdue-sweep.ts";
import { productionScheduleJob } from "./production-schedule.ts";
import { provisionalDeadlinesJob } from "./provisional-deadlines.ts";
import { rosterShortageJob } from "./roster-shortage.ts";
import { stocktakeMonthEndJob } from "./stocktake-month-end.ts";
import { systemProbeJob } from "./system-probe.ts";
import { taskRemindersJob } from "./task-reminders.ts";
import { trainingGapsJob } from "./training-gaps.ts";

export const JOBS: readonly Job[] = [
  inboxSweepJob,
  outboxDrainJob,
  housekeepingJob,
  kpiDigestJob,
  overdueSweepJob,
  calendarReminderJob,
  provisionalDeadlinesJob,
  taskRemindersJob,
  rosterShortageJob,
  maintenanceScheduleJob,
  productionScheduleJob,
  monthlyReviewJob,
  trainingGapsJob,
  stocktakeMonthEndJob,
  systemProbeJob,
];

export function findJob(name: string): Job | undefined {
  return JOBS.find((job) => job.name === name);
}

/** The distinct cron expressions, in registry order: what wrangler.toml's [triggers] must list. */
export function cronSchedules(): string[] {
  return [...new Set(JOBS.map((job) => job.cron))];
}
