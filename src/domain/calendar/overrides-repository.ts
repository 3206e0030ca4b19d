// Admin corrections of the working-day calendar (calendar_overrides): load them, set one, remove one.
import { asc, eq, gte } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { calendarOverrides } from "../../db/schema/index.ts";
import { assertLocalDate, type LocalDate } from "./local-time.ts";
import type { CalendarOverrideKind } from "./working-calendar.ts";

export interface CalendarOverride {
  day: LocalDate;
  kind: CalendarOverrideKind;
  note: string | null;
  createdBy: number | null;
  createdAt: Date;
}

export interface SetCalendarOverride {
  day: LocalDate;
  kind: CalendarOverrideKind;
  note?: string | null;
  /** Person id of the admin making the change; null for the system. */
  by: number | null;
  now: Date;
}

/** What a change did, for the caller's audit row. */
export interface CalendarOverrideChange {
  before: CalendarOverride | null;
  after: CalendarOverride;
}

function assertKind(kind: string): CalendarOverrideKind {
  if (kind !== "off" && kind !== "work")
    throw new RangeError(`calendar override kind must be off or work: ${kind}`);
  return kind;
}

function toOverride(row: typeof calendarOverrides.$inferSelect): CalendarOverride {
  return { ...row, kind: assertKind(row.kind) };
}

/** Every override, keyed by day: the `overrides` input of createWorkingCalendar. */
export async function loadCalendarOverrides(db: Db): Promise<Map<LocalDate, CalendarOverrideKind>> {
  const rows = await db.select().from(calendarOverrides);
  return new Map(rows.map((row) => [row.day, assertKind(row.kind)]));
}

/** Overrides from `from` on, earliest first, at most `limit`: what `/calendar` lists. */
export async function listCalendarOverrides(
  db: Db,
  from: LocalDate,
  limit: number,
): Promise<CalendarOverride[]> {
  const rows = await db
    .select()
    .from(calendarOverrides)
    .where(gte(calendarOverrides.day, from))
    .orderBy(asc(calendarOverrides.day))
    .limit(limit);
  return rows.map(toOverride);
}

/** Creates or replaces the override of one day. Pass a transaction as `db` to write the audit row with it. */
export async function setCalendarOverride(
  db: Db,
  input: SetCalendarOverride,
): Promise<CalendarOverrideChange> {
  const values = {
    day: assertLocalDate(input.day),
    kind: assertKind(input.kind),
    note: input.note ?? null,
    createdBy: input.by,
    createdAt: input.now,
  };
  return db.transaction(async (tx) => {
    // Locks the old row so that `before` is exactly what this write replaced.
    const [previous] = await tx
      .select()
      .from(calendarOverrides)
      .where(eq(calendarOverrides.day, values.day))
      .for("update");
    const [written] = await tx
      .insert(calendarOverrides)
      .values(values)
      .onConflictDoUpdate({ target: calendarOverrides.day, set: values })
      .returning();
    if (!written) throw new Error(`calendar override for ${values.day} was not written`);
    return { before: previous ? toOverride(previous) : null, after: toOverride(written) };
  });
}

/** Deletes one day's override; returns what was removed, or null when there was none. */
export async function removeCalendarOverride(db: Db, day: LocalDate): Promise<CalendarOverride | null> {
  const [removed] = await db
    .delete(calendarOverrides)
    .where(eq(calendarOverrides.day, assertLocalDate(day)))
    .returning();
  return removed ? toOverride(removed) : null;
}
