// What is overdue at an instant: complaint clocks at 75 % and at breach, late orders, missed inspections.
import { and, asc, eq, isNull, lt, lte, ne, or } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { complaints, inspectionAreas, orders } from "../../db/schema/index.ts";
import {
  addDays,
  calendarDaysBetween,
  HOUR_MS,
  instantAt,
  type LocalDate,
  localDateOf,
  parseTimeOfDay,
  startOfLocalDay,
} from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { FIRST_RESPONSE_HOURS, RESOLUTION_WORKING_DAYS } from "../complaints/deadlines.ts";
import { inspectionsInWindow } from "../inspections/areas.ts";
import type { AlertKind, AlertLevel, EscalationReason } from "./levels.ts";

/** Warn when this share of a clock has run. */
export const WARNING_SHARE = 0.75;
/** DESIGN §1: more than 5 days past the original due date → special review meeting. */
export const REVIEW_AFTER_DAYS = 5;

export type SubjectFacts =
  | { type: "complaint"; number: string; customer: string; receivedAt: string; dueAt: string }
  | {
      type: "order";
      number: string;
      customer: string;
      model: string;
      quantity: number;
      dueDate: LocalDate;
      originalDueDate: LocalDate;
    }
  | { type: "inspection"; area: string; nameZh: string; nameEn: string; day: LocalDate; cutoff: string };

/** What the card shows; an escalation also says why and from which level. */
export type AlertFacts = SubjectFacts & {
  escalation?: { reason: EscalationReason; from: string; by?: string };
};

export interface AlertCondition {
  kind: AlertKind;
  entity: string;
  level: AlertLevel;
  safety: boolean;
  facts: AlertFacts;
}

const RESPONSE_WARNING_MS = FIRST_RESPONSE_HOURS * WARNING_SHARE * HOUR_MS;
const RESOLUTION_WARNING_DAYS = RESOLUTION_WORKING_DAYS * WARNING_SHARE;
/** A working day is a whole calendar day, so the resolution warning is never sooner than this after receipt. */
const EARLIEST_RESOLUTION_WARNING_MS = RESOLUTION_WARNING_DAYS * 24 * HOUR_MS;

async function complaintConditions(db: Db, now: Date, calendar: WorkingCalendar): Promise<AlertCondition[]> {
  const rows = await db
    .select()
    .from(complaints)
    .where(
      and(
        ne(complaints.status, "resolved"),
        or(
          and(
            isNull(complaints.respondedAt),
            lte(complaints.receivedAt, new Date(now.getTime() - RESPONSE_WARNING_MS)),
          ),
          lte(complaints.receivedAt, new Date(now.getTime() - EARLIEST_RESOLUTION_WARNING_MS)),
        ),
      ),
    )
    .orderBy(asc(complaints.id));
  const found: AlertCondition[] = [];
  for (const row of rows) {
    const facts = (dueAt: Date): AlertFacts => ({
      type: "complaint",
      number: row.number,
      customer: row.customer,
      receivedAt: row.receivedAt.toISOString(),
      dueAt: dueAt.toISOString(),
    });
    const raise = (kind: AlertKind, level: AlertLevel, dueAt: Date) =>
      found.push({ kind, entity: row.number, level, safety: false, facts: facts(dueAt) });
    if (row.respondedAt === null && row.receivedAt.getTime() + RESPONSE_WARNING_MS <= now.getTime()) {
      raise("response", row.responseDueAt <= now ? "breach" : "warning", row.responseDueAt);
    }
    const warnAt = calendar.addWorkingDays(row.receivedAt, RESOLUTION_WARNING_DAYS).due;
    if (warnAt <= now)
      raise("resolution", row.resolutionDueAt <= now ? "breach" : "warning", row.resolutionDueAt);
  }
  return found;
}

async function orderConditions(db: Db, today: LocalDate): Promise<AlertCondition[]> {
  const reviewBefore = addDays(today, -REVIEW_AFTER_DAYS);
  const rows = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.status, "confirmed"),
        or(lt(orders.dueDate, today), lt(orders.originalDueDate, reviewBefore)),
      ),
    )
    .orderBy(asc(orders.id));
  return rows.map((row) => ({
    kind: "order",
    entity: row.number,
    // Lateness counts from the original due date, as the KPI's "delayed more than 5 days" does.
    level: calendarDaysBetween(row.originalDueDate, today) > REVIEW_AFTER_DAYS ? "review" : "overdue",
    safety: false,
    facts: {
      type: "order",
      number: row.number,
      customer: row.customer,
      model: row.model,
      quantity: row.quantity,
      dueDate: row.dueDate,
      originalDueDate: row.originalDueDate,
    },
  }));
}

async function inspectionConditions(
  db: Db,
  now: Date,
  today: LocalDate,
  calendar: WorkingCalendar,
): Promise<AlertCondition[]> {
  if (!calendar.isWorkingDay(today).working) return [];
  const { timezone } = calendar;
  const areas = await db
    .select()
    .from(inspectionAreas)
    .where(eq(inspectionAreas.active, true))
    .orderBy(asc(inspectionAreas.id));
  const pastCutoff = areas.filter((area) => instantAt(today, parseTimeOfDay(area.cutoff), timezone) <= now);
  const inspected = await inspectionsInWindow(
    db,
    pastCutoff.map((area) => area.id),
    startOfLocalDay(today, timezone),
    new Date(now.getTime() + 1),
  );
  return pastCutoff
    .filter((area) => !inspected.has(area.id))
    .map((area) => ({
      kind: "inspection",
      entity: `${area.code}:${today}`,
      level: "missed",
      safety: false,
      facts: {
        type: "inspection",
        area: area.code,
        nameZh: area.nameZh,
        nameEn: area.nameEn,
        day: today,
        cutoff: area.cutoff,
      },
    }));
}

/** Every alert condition that holds at `now` (business day and time in the calendar's zone). */
export async function overdueConditions(
  db: Db,
  now: Date,
  calendar: WorkingCalendar,
): Promise<AlertCondition[]> {
  const today = localDateOf(now, calendar.timezone);
  return [
    ...(await complaintConditions(db, now, calendar)),
    ...(await orderConditions(db, today)),
    ...(await inspectionConditions(db, now, today, calendar)),
  ];
}

/** Calendar days an order is late on `today`, from its original due date. */
export const daysLate = (originalDueDate: LocalDate, today: LocalDate): number =>
  Math.max(0, calendarDaysBetween(originalDueDate, today));
