// provisional-deadlines: open complaint deadlines still marked provisional, counted again on today's calendar.
//
// After `npm install chinese-days@latest` and a redeploy the published year replaces the provisional rule;
// this job brings the stored deadlines along (and any override written outside /calendar set), audited.
import { loadCalendarOverrides } from "../domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../domain/calendar/working-calendar.ts";
import { moveResolutionDeadlines } from "../domain/complaints/changes.ts";
import type { Job } from "./job.ts";

export const provisionalDeadlinesJob: Job = {
  name: "provisional-deadlines",
  // The overdue sweep's schedule, so that no new Cron Trigger is needed; with nothing provisional it reads one index.
  cron: "*/5 * * * *",
  description: "count open provisional complaint deadlines again once newer calendar data decides their days",
  async run({ database: { db }, config: { timezone }, now }) {
    const calendar = createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
    const changed = await db.transaction((tx) =>
      moveResolutionDeadlines(tx, { personId: null, at: now }, calendar, true),
    );
    return changed.length === 0
      ? "no provisional deadline moved"
      : `${changed.length} provisional deadlines moved: ${changed.map((item) => item.number).join(", ")}`;
  },
};
