// One pass of the overdue sweep: raise what became overdue, close what ended, escalate the unacked, send what is due.
import type { Db } from "../../db/database.ts";
import type { Outbox } from "../../outbox/outbox.ts";
import { loadCalendarOverrides } from "../calendar/overrides-repository.ts";
import { createWorkingCalendar, type WorkingCalendar } from "../calendar/working-calendar.ts";
import { overdueConditions } from "./conditions.ts";
import { sendDueNotices } from "./notices.ts";
import { closeEndedAlerts, escalateUnacked, raiseAlerts } from "./store.ts";
import { alertTiming } from "./timing.ts";

export interface SweepDeps {
  db: Db;
  outbox: Outbox;
  timezone: string;
}

export interface SweepSummary {
  raised: number;
  cleared: number;
  superseded: number;
  escalated: number;
  notices: number;
  sent: number;
}

/** The working calendar with the company's overrides, as every alert time is counted on it. */
export async function alertCalendar(db: Db, timezone: string): Promise<WorkingCalendar> {
  return createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
}

/**
 * Safe to run twice for the same `now` (a retried tick, a second instance, a manual rerun): alerts are
 * unique per (kind, entity, level) and each notice is claimed once before its outbox rows are stored.
 */
export async function sweepOverdue(deps: SweepDeps, now: Date): Promise<SweepSummary> {
  const { db } = deps;
  const calendar = await alertCalendar(db, deps.timezone);
  const timing = alertTiming(calendar);
  const conditions = await overdueConditions(db, now, calendar);
  const raised = await raiseAlerts(db, conditions, now, timing);
  const { cleared, superseded } = await closeEndedAlerts(db, conditions, now);
  const escalated = await escalateUnacked(db, now, timing);
  const { notices, counts } = await sendDueNotices({ ...deps, timing }, now);
  return { raised, cleared, superseded, escalated, notices, sent: counts.sent };
}
