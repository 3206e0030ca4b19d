// `/calendar set|unset`: company overrides written with their audit rows, and open deadlines counted again.
import type { Db } from "../../db/database.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { type MovedDeadline, moveResolutionDeadlines } from "../complaints/changes.ts";
import type { LocalDate } from "./local-time.ts";
import {
  loadCalendarOverrides,
  removeCalendarOverride,
  setCalendarOverride,
} from "./overrides-repository.ts";
import { type CalendarOverrideKind, createWorkingCalendar } from "./working-calendar.ts";

/** One day of a company override: off or a working day, with the name it was given. */
export interface CalendarEntry {
  day: LocalDate;
  kind: CalendarOverrideKind;
  note: string | null;
}

export interface CalendarChangeOutcome {
  /** Days whose override was written or removed (a removal of a day without one is not counted). */
  changed: LocalDate[];
  moved: MovedDeadline[];
}

const auditOf = (actor: Actor, day: LocalDate, action: string, before: unknown, after: unknown) => ({
  ...auditedBy(actor),
  entityType: "calendar_day",
  entityId: day,
  action,
  before,
  after,
});

/** Overrides, audit rows and moved deadlines in one transaction: all entries land or none. */
async function changeCalendar(
  db: Db,
  actor: Actor,
  timezone: string,
  apply: (tx: Db) => Promise<LocalDate[]>,
): Promise<CalendarChangeOutcome> {
  return db.transaction(async (tx) => {
    const changed = await apply(tx);
    const calendar = createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(tx) });
    const moved = changed.length > 0 ? await moveResolutionDeadlines(tx, actor, calendar) : [];
    return { changed, moved };
  });
}

export function setCalendarDays(
  db: Db,
  actor: Actor,
  timezone: string,
  entries: readonly CalendarEntry[],
): Promise<CalendarChangeOutcome> {
  return changeCalendar(db, actor, timezone, async (tx) => {
    for (const entry of entries) {
      const { before, after } = await setCalendarOverride(tx, {
        ...entry,
        by: actor.personId,
        now: actor.at,
      });
      await audit(tx, auditOf(actor, entry.day, "calendar.override_set", before, after));
    }
    return entries.map((entry) => entry.day);
  });
}

export function unsetCalendarDays(
  db: Db,
  actor: Actor,
  timezone: string,
  days: readonly LocalDate[],
): Promise<CalendarChangeOutcome> {
  return changeCalendar(db, actor, timezone, async (tx) => {
    const removed: LocalDate[] = [];
    for (const day of days) {
      const before = await removeCalendarOverride(tx, day);
      if (!before) continue;
      await audit(tx, auditOf(actor, day, "calendar.override_removed", before, null));
      removed.push(day);
    }
    return removed;
  });
}
