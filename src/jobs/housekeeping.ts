// Housekeeping job: prunes job-run rows and finished inbox / outbox rows older than 30 days, and idle send budgets.
import { and, inArray, lt } from "drizzle-orm";
import { inbox, jobRuns, outbox, sendBudgets } from "../db/schema/index.ts";
import type { Job } from "./job.ts";

export const RETENTION_DAYS = 30;
/** A budget whose last send is this old holds nothing any window still counts (the longest is a minute). */
const IDLE_BUDGET_MS = 86_400_000;

export const housekeepingJob: Job = {
  name: "housekeeping",
  cron: "17 19 * * *",
  description: "prune job runs and finished inbox/outbox rows older than 30 days, and idle send budgets",
  async run({ database: { db }, now }) {
    const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
    const runs = await db.delete(jobRuns).where(lt(jobRuns.startedAt, cutoff)).returning({ id: jobRuns.id });
    const events = await db
      .delete(inbox)
      .where(and(inArray(inbox.status, ["done", "dead"]), lt(inbox.finishedAt, cutoff)))
      .returning({ id: inbox.id });
    const messages = await db
      .delete(outbox)
      .where(and(inArray(outbox.status, ["sent", "failed"]), lt(outbox.finishedAt, cutoff)))
      .returning({ id: outbox.id });
    const budgets = await db
      .delete(sendBudgets)
      .where(lt(sendBudgets.lastStartAt, new Date(now.getTime() - IDLE_BUDGET_MS)))
      .returning({ budget: sendBudgets.budget });
    return `pruned ${runs.length} job runs, ${events.length} inbox rows, ${messages.length} outbox rows, ${budgets.length} idle send budgets`;
  },
};
