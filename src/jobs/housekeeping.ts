// Housekeeping job: prunes job-run rows and finished inbox / outbox rows older than 30 days, and idle send budgets;
// on the embedded database, which has no autovacuum, it then vacuums and analyzes every table.
import { and, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../db/database.ts";
import { inbox, jobRuns, outbox, sendBudgets } from "../db/schema/index.ts";
import type { Job } from "./job.ts";

export const RETENTION_DAYS = 30;
/** A budget whose last send is this old holds nothing any window still counts (the longest is a minute). */
const IDLE_BUDGET_MS = 86_400_000;

/**
 * PGlite runs Postgres as a single process, without the autovacuum workers: the rows every update and prune
 * leaves behind would never be reclaimed, the tables would only grow, and the planner would keep its first
 * statistics. Once a day, after the prune, one VACUUM ANALYZE does what autovacuum does on a Postgres server
 * (which keeps doing it there; this step is skipped). It holds the embedded database for its length.
 */
async function vacuumEmbedded(database: Database): Promise<string> {
  if (database.mode !== "pglite") return "";
  await database.db.execute(sql`vacuum analyze`);
  return "; vacuumed and analyzed the embedded database";
}

export const housekeepingJob: Job = {
  name: "housekeeping",
  cron: "17 19 * * *",
  description:
    "prune job runs and finished inbox/outbox rows older than 30 days, and idle send budgets; vacuum the embedded database",
  async run({ database, now }) {
    const { db } = database;
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
    const vacuumed = await vacuumEmbedded(database);
    return `pruned ${runs.length} job runs, ${events.length} inbox rows, ${messages.length} outbox rows, ${budgets.length} idle send budgets${vacuumed}`;
  },
};
