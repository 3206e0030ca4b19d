// One pass of the overdue sweep: raise what became overdue, close what ended, escalate the unacked, send what is due.
import type { Db } from "../../db/database.ts";
import type { OutboxCounts } from "../../outbox/outbox.ts";
import { localDateOf } from "../calendar/local-time.ts";
import { loadCalendarOverrides } from "../calendar/overrides-repository.ts";
import { createWorkingCalendar, type WorkingCalendar } from "../calendar/working-calendar.ts";
import { inspectionConditions, systemCheckConditions, unraisedConditions } from "./conditions.ts";
import { type NoticeDeps, sendStoredNotices, storeDueNotices } from "./notices.ts";
import { clearEndedAlerts, clearUnjudged, escalateUnacked, raiseAlerts } from "./store.ts";
import { alertTiming } from "./timing.ts";

export type SweepDeps = Omit<NoticeDeps, "timing">;

export interface SweepSummary {
  raised: number;
  cleared: number;
  superseded: number;
  escalated: number;
  notices: number;
  /**
   * Settles once the notices sent at once have gone out (or were handed back); the others wait in the
   * outbox for its drain, which sends them at the platform's pace.
   */
  sending: Promise<OutboxCounts>;
}

/** The working calendar with the company's overrides, as every alert time is counted on it. */
export async function alertCalendar(db: Db, timezone: string): Promise<WorkingCalendar> {
  return createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
}

/**
 * Resolves once the alerts are raised and their notices stored: what the sweep owes is then safe, however
 * long the platforms take to carry it. Safe to run twice for the same `now` (a retried tick, a second instance, a manual rerun): alerts are
 * unique per (kind, entity, level) and each notice is claimed once before its outbox rows are stored.
 */
export async function sweepOverdue(deps: SweepDeps, now: Date): Promise<SweepSummary> {
  const { db } = deps;
  const calendar = await alertCalendar(db, deps.timezone);
  const timing = alertTiming(calendar);
  const today = localDateOf(now, calendar.timezone);
  // Clearing comes first: the searches that follow see every write it judged, and a write it did not see leaves
  // its mark for the next sweep, so an alert they raise on a subject that changed meanwhile is judged then.
  const clearedSubjects = await clearEndedAlerts(db, now, today);
  const [unraised, { judged, clearedJudged }] = await Promise.all([
    unraisedConditions(db, now, calendar),
    Promise.all([inspectionConditions(db, now, calendar), systemCheckConditions(db, now, calendar)]).then(
      async (blocks) => {
        const judged = blocks.flat();
        return { judged, clearedJudged: await clearUnjudged(db, now, judged) };
      },
    ),
  ]);
  const { raised, superseded } = await raiseAlerts(db, [...unraised, ...judged], now, timing);
  const escalated = await escalateUnacked(db, now, timing);
  const { notices, keys } = await storeDueNotices({ ...deps, timing }, now);
  return {
    raised,
    cleared: clearedSubjects + clearedJudged,
    superseded,
    escalated,
    notices,
    sending: sendStoredNotices(deps.outbox, keys),
  };
}
