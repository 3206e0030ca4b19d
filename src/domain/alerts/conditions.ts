// What is overdue at an instant: complaint clocks at 75 % and at breach, late orders, missed inspections, overdue tasks.
import { and, asc, eq, gte, isNull, lt, lte, ne, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { inJsonList } from "../../db/any-of.ts";
import type { Db } from "../../db/database.ts";
import {
  alerts,
  complaints,
  equipment,
  expenses,
  inspectionAreas,
  lots,
  orders,
  people,
  risks,
  stockItems,
  stocktakes,
  tasks,
} from "../../db/schema/index.ts";
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
import { expenseOverdue } from "../finance/expenses.ts";
import { missedReconciliations } from "../finance/reconciliation.ts";
import { inspectionsInWindow } from "../inspections/areas.ts";
import { nextServiceSql } from "../maintenance/next-service.ts";
import { percentText } from "../percent.ts";
import {
  FIRST_RESPONSE_HOURS,
  RESOLUTION_WORKING_DAYS,
  REVIEW_AFTER_DAYS,
  RISK_HIGH_SCORE,
  RISK_PLAN_GRACE_WORKING_DAYS,
  SYSTEM_CHECK_CUTOFF,
  WARNING_SHARE,
} from "../policy.ts";
import { formatQuantity, fromStored } from "../stock/quantity.ts";
import { recentOutflows, statusOf } from "../stock/status.ts";
import { RATE_DECIMALS } from "../stocktake/error-rate.ts";
import { type AlertKind, type AlertLevel, type EscalationReason, rankSql } from "./levels.ts";

/** `provisional`: the deadline or cut-off rests on a day of the provisional rule (absent on older alerts). */
export type SubjectFacts =
  | {
      type: "complaint";
      number: string;
      customer: string;
      receivedAt: string;
      dueAt: string;
      provisional?: boolean;
    }
  | {
      type: "order";
      number: string;
      customer: string;
      model: string;
      quantity: number;
      dueDate: LocalDate;
      originalDueDate: LocalDate;
    }
  | {
      type: "maintenance";
      code: string;
      name: string;
      dueDate: LocalDate;
      lastService: LocalDate;
    }
  | {
      type: "stock";
      sku: string;
      name: string;
      unit: string | null;
      /** Exact decimals as text. */
      onHand: string;
      safetyStock: string;
      toOrder: string;
      dailyUse: string;
      dailyUseSource: "declared" | "recorded";
    }
  | {
      type: "quality";
      number: string;
      orderNumber: string;
      customer: string;
      model: string;
      size: number;
      sampled: number;
      defects: number;
    }
  | {
      type: "stocktake";
      number: string;
      warehouse: string;
      /** Exact decimals as text, and the rate ("2.5%"; "—" with nothing on the books). */
      bookTotal: string;
      differenceTotal: string;
      rate: string;
      recounts: number;
    }
  | {
      type: "stocktake_due";
      warehouse: string;
      /** YYYY-MM. */
      month: string;
      lastWorkingDay: LocalDate;
      provisional?: boolean;
    }
  | {
      type: "inspection";
      area: string;
      nameZh: string;
      nameEn: string;
      day: LocalDate;
      cutoff: string;
      provisional?: boolean;
    }
  | {
      type: "system_check";
      day: LocalDate;
      cutoff: string;
      /** The /checklist keys of the systems not checked. */
      systems: string[];
      provisional?: boolean;
    }
  | {
      type: "task";
      number: string;
      title: string;
      ownerPersonId: number;
      ownerName: string;
      dueDate: LocalDate;
    }
  | {
      type: "risk";
      number: string;
      description: string;
      likelihood: number;
      impact: number;
      score: number;
      raisedAt: string;
      /** When its plan with an owner was due (raised + the grace in working days). */
      planDueAt: string;
    }
  | { type: "reconciliation"; day: LocalDate; dueAt: string; provisional?: boolean }
  | {
      type: "expense";
      number: string;
      /** Exact decimal as stored ("1234.50"). */
      amount: string;
      reason: string;
      requestedByName: string;
      requestedAt: string;
      dueAt: string;
    };

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

/**
 * Which subjects' conditions hold at `now`, as SQL over their own table: the sweep finds new alerts with it
 * and closes the open alerts whose subject it no longer selects. The resolution warning's working-day time
 * is checked in code on top (the calendar is not in the database); the SQL bound is the earliest it can be.
 */
export function holdingSubjects(now: Date, today: LocalDate) {
  return {
    response: and(
      ne(complaints.status, "resolved"),
      isNull(complaints.respondedAt),
      lte(complaints.receivedAt, new Date(now.getTime() - RESPONSE_WARNING_MS)),
    ),
    resolution: and(
      ne(complaints.status, "resolved"),
      lte(complaints.receivedAt, new Date(now.getTime() - EARLIEST_RESOLUTION_WARNING_MS)),
    ),
    order: and(
      eq(orders.status, "confirmed"),
      or(lt(orders.dueDate, today), lt(orders.originalDueDate, addDays(today, -REVIEW_AFTER_DAYS))),
    ),
    // A task is due by the end of its due date: overdue from the next day on, until it is done.
    task: and(eq(tasks.status, "open"), lt(tasks.dueDate, today)),
    stock: eq(stockItems.low, true),
    maintenance: sql`${nextServiceSql} < ${today}::date`,
    // A high risk needs a plan with an owner; the grace after it was raised is checked on the calendar in code.
    risk: and(eq(risks.status, "open"), gte(risks.score, RISK_HIGH_SCORE), isNull(risks.planOwnerId)),
    // A rejected lot is never released: its finding stands until someone acknowledges it.
    quality: eq(lots.status, "rejected"),
    // A count above the error limit holds while any of its recounts is open.
    stocktake: and(
      eq(stocktakes.overLimit, true),
      sql`exists (select 1 from ${tasks} where ${tasks.sourceType} = 'stocktake'
        and ${tasks.sourceId} = ${stocktakes.number} and ${tasks.status} = 'open')`,
    ),
    expense: expenseOverdue(now),
  } satisfies Record<
    Exclude<AlertKind, "inspection" | "system_check" | "stocktake_due" | "reconciliation">,
    SQL | undefined
  >;
}

/** No alert of this subject at `level` or a graver level yet (a rerun of an older tick finds lesser levels again). */
const notRaised = (kind: AlertKind, entity: PgColumn, level: SQL) =>
  sql`not exists (select 1 from ${alerts} where ${alerts.kind} = ${kind} and ${alerts.entity} = ${entity}
      and (${alerts.level} = ${level} or ${rankSql(sql`${alerts.level}`)} > ${rankSql(level)}))`;

const breachOr = (due: PgColumn, now: Date) =>
  sql<AlertLevel>`case when ${lte(due, now)} then 'breach' else 'warning' end`;

async function complaintConditions(
  db: Db,
  now: Date,
  today: LocalDate,
  calendar: WorkingCalendar,
): Promise<AlertCondition[]> {
  const holding = holdingSubjects(now, today);
  const columns = {
    number: complaints.number,
    customer: complaints.customer,
    receivedAt: complaints.receivedAt,
    responseDueAt: complaints.responseDueAt,
    resolutionDueAt: complaints.resolutionDueAt,
    resolutionDueProvisional: complaints.resolutionDueProvisional,
  };
  const responseLevel = breachOr(complaints.responseDueAt, now);
  const resolutionLevel = breachOr(complaints.resolutionDueAt, now);
  const [response, resolution] = await Promise.all([
    db
      .select({ ...columns, level: responseLevel })
      .from(complaints)
      .where(and(holding.response, notRaised("response", complaints.number, responseLevel)))
      .orderBy(asc(complaints.id)),
    db
      .select({ ...columns, level: resolutionLevel })
      .from(complaints)
      .where(and(holding.resolution, notRaised("resolution", complaints.number, resolutionLevel)))
      .orderBy(asc(complaints.id)),
  ]);
  const condition = (
    row: (typeof response)[number],
    kind: AlertKind,
    dueAt: Date,
    provisional: boolean,
  ): AlertCondition => ({
    kind,
    entity: row.number,
    level: row.level,
    safety: false,
    facts: {
      type: "complaint",
      number: row.number,
      customer: row.customer,
      receivedAt: row.receivedAt.toISOString(),
      dueAt: dueAt.toISOString(),
      provisional,
    },
  });
  return [
    // The first response is 24 clock hours: no calendar, never provisional.
    ...response.map((row) => condition(row, "response", row.responseDueAt, false)),
    ...resolution
      .filter((row) => calendar.addWorkingDays(row.receivedAt, RESOLUTION_WARNING_DAYS).due <= now)
      .map((row) => condition(row, "resolution", row.resolutionDueAt, row.resolutionDueProvisional)),
  ];
}

async function orderConditions(db: Db, now: Date, today: LocalDate): Promise<AlertCondition[]> {
  const level = sql<AlertLevel>`case when ${orders.originalDueDate} < ${addDays(today, -REVIEW_AFTER_DAYS)}
    then 'review' else 'overdue' end`;
  const rows = await db
    .select({
      number: orders.number,
      customer: orders.customer,
      model: orders.model,
      quantity: orders.quantity,
      dueDate: orders.dueDate,
      originalDueDate: orders.originalDueDate,
      // Lateness counts from the original due date, as the KPI's "delayed more than 5 days" does.
      level,
    })
    .from(orders)
    .where(and(holdingSubjects(now, today).order, notRaised("order", orders.number, level)))
    .orderBy(asc(orders.id));
  return rows.map(({ level, ...order }) => ({
    kind: "order",
    entity: order.number,
    level,
    safety: false,
    facts: { type: "order", ...order },
  }));
}

async function taskConditions(db: Db, now: Date, today: LocalDate): Promise<AlertCondition[]> {
  const rows = await db
    .select({
      number: tasks.number,
      title: tasks.title,
      ownerPersonId: tasks.ownerId,
      ownerName: people.displayName,
      dueDate: tasks.dueDate,
    })
    .from(tasks)
    .innerJoin(people, eq(people.id, tasks.ownerId))
    .where(and(holdingSubjects(now, today).task, notRaised("task", tasks.number, sql`'overdue'`)))
    .orderBy(asc(tasks.id));
  return rows.map((task) => ({
    kind: "task",
    entity: task.number,
    level: "overdue",
    safety: false,
    facts: { type: "task", ...task },
  }));
}

/** Every area past its cut-off today with no inspection yet: a few rows, judged in code each tick. */
export async function inspectionConditions(
  db: Db,
  now: Date,
  calendar: WorkingCalendar,
): Promise<AlertCondition[]> {
  const today = localDateOf(now, calendar.timezone);
  const status = calendar.isWorkingDay(today);
  if (!status.working) return [];
  const { timezone } = calendar;
  const areas = await db
    .select()
    .from(inspectionAreas)
    .where(and(eq(inspectionAreas.active, true), eq(inspectionAreas.kind, "inspection")))
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
        provisional: status.provisional,
      },
    }));
}

/**
 * The morning system check missed: on a working day past the policy's cut-off, an active system area with no
 * check today. One alert a day naming the systems; judged in code each tick, like the inspections.
 */
export async function systemCheckConditions(
  db: Db,
  now: Date,
  calendar: WorkingCalendar,
): Promise<AlertCondition[]> {
  const { timezone } = calendar;
  const today = localDateOf(now, timezone);
  const status = calendar.isWorkingDay(today);
  if (!status.working || instantAt(today, parseTimeOfDay(SYSTEM_CHECK_CUTOFF), timezone) > now) return [];
  const systems = await db
    .select({ id: inspectionAreas.id, code: inspectionAreas.code })
    .from(inspectionAreas)
    .where(and(eq(inspectionAreas.active, true), eq(inspectionAreas.kind, "system")))
    .orderBy(asc(inspectionAreas.id));
  const checked = await inspectionsInWindow(
    db,
    systems.map((system) => system.id),
    startOfLocalDay(today, timezone),
    new Date(now.getTime() + 1),
  );
  const missing = systems.filter((system) => !checked.has(system.id)).map((system) => system.code);
  if (missing.length === 0) return [];
  return [
    {
      kind: "system_check",
      entity: today,
      level: "missed",
      safety: false,
      facts: {
        type: "system_check",
        day: today,
        cutoff: SYSTEM_CHECK_CUTOFF,
        systems: missing,
        provisional: status.provisional,
      },
    },
  ];
}

/** The alert subject of a material's current drop below its safety stock: each new drop is a new one. */
export const stockAlertEntity = sql<string>`${stockItems.sku} || '#' || ${stockItems.lowEpisode}`;

/** Materials below their safety stock whose current drop was not alerted yet, with what to order. */
async function stockConditions(db: Db, now: Date, calendar: WorkingCalendar): Promise<AlertCondition[]> {
  const items = await db
    .select()
    .from(stockItems)
    .where(
      and(
        holdingSubjects(now, localDateOf(now, calendar.timezone)).stock,
        sql`not exists (select 1 from ${alerts} where ${alerts.kind} = 'stock' and ${alerts.entity} = ${stockAlertEntity})`,
      ),
    )
    .orderBy(asc(stockItems.id));
  const outflows = await recentOutflows(
    db,
    items.map((item) => item.id),
    now,
    calendar.timezone,
  );
  const today = localDateOf(now, calendar.timezone);
  return items.map((item) => {
    const status = statusOf(item, outflows.get(item.id) ?? [], today);
    return {
      kind: "stock",
      entity: `${item.sku}#${item.lowEpisode}`,
      level: "low",
      safety: false,
      facts: {
        type: "stock",
        sku: item.sku,
        name: item.name,
        unit: item.unit,
        onHand: formatQuantity(status.onHand),
        safetyStock: formatQuantity(status.safetyStock),
        toOrder: formatQuantity(status.toOrder),
        dailyUse: formatQuantity(status.dailyUse.value),
        dailyUseSource: status.dailyUse.source,
      },
    };
  });
}

/** The alert subject of an overdue service: the equipment and the due date it missed. */
export const maintenanceAlertEntity = sql<string>`${equipment.code} || ':' || to_char(${nextServiceSql}, 'YYYY-MM-DD')`;

/** Equipment whose service is past due and not alerted yet for that due date. */
async function maintenanceConditions(db: Db, now: Date, today: LocalDate): Promise<AlertCondition[]> {
  const rows = await db
    .select({
      code: equipment.code,
      name: equipment.name,
      lastService: equipment.lastService,
      dueDate: sql<string>`to_char(${nextServiceSql}, 'YYYY-MM-DD')`,
    })
    .from(equipment)
    .where(
      and(
        holdingSubjects(now, today).maintenance,
        sql`not exists (select 1 from ${alerts} where ${alerts.kind} = 'maintenance' and ${alerts.entity} = ${maintenanceAlertEntity})`,
      ),
    )
    .orderBy(asc(equipment.id));
  return rows.map((row) => ({
    kind: "maintenance",
    entity: `${row.code}:${row.dueDate}`,
    level: "overdue",
    safety: false,
    facts: { type: "maintenance", ...row },
  }));
}

/** A working day is a whole calendar day, so the grace never ends sooner than this after the risk was raised. */
const EARLIEST_RISK_PLAN_DUE_MS = RISK_PLAN_GRACE_WORKING_DAYS * 24 * HOUR_MS;

/** High risks still without a plan with an owner once the grace after they were raised has run, not alerted yet. */
async function riskConditions(db: Db, now: Date, calendar: WorkingCalendar): Promise<AlertCondition[]> {
  const holding = holdingSubjects(now, localDateOf(now, calendar.timezone)).risk;
  const rows = await db
    .select({
      number: risks.number,
      description: risks.description,
      likelihood: risks.likelihood,
      impact: risks.impact,
      score: risks.score,
      raisedAt: risks.raisedAt,
    })
    .from(risks)
    .where(
      and(
        holding,
        lte(risks.raisedAt, new Date(now.getTime() - EARLIEST_RISK_PLAN_DUE_MS)),
        notRaised("risk", risks.number, sql`'overdue'`),
      ),
    )
    .orderBy(asc(risks.id));
  return rows.flatMap(({ raisedAt, ...risk }) => {
    const planDueAt = calendar.addWorkingDays(raisedAt, RISK_PLAN_GRACE_WORKING_DAYS).due;
    if (planDueAt > now) return [];
    const facts = {
      type: "risk" as const,
      ...risk,
      raisedAt: raisedAt.toISOString(),
      planDueAt: planDueAt.toISOString(),
    };
    return [{ kind: "risk" as const, entity: risk.number, level: "overdue" as const, safety: false, facts }];
  });
}

/**
 * Rejected lots (defects over the limit) not alerted yet: each one is a finding. Rejected lots pile up for good,
 * so the numbers not alerted are found first from the rejected lots' own index, and the facts (with the order's)
 * read only for those: joined to orders before the anti-join, the planner estimates the join's rows as if none
 * were alerted and starts a parallel scan that costs more than the whole search.
 */
async function qualityConditions(db: Db, now: Date, today: LocalDate): Promise<AlertCondition[]> {
  const unalerted = await db
    .select({ number: lots.number })
    .from(lots)
    .where(and(holdingSubjects(now, today).quality, notRaised("quality", lots.number, sql`'finding'`)));
  if (unalerted.length === 0) return [];
  const rows = await db
    .select({
      number: lots.number,
      orderNumber: orders.number,
      customer: orders.customer,
      model: orders.model,
      size: lots.size,
      sampled: lots.sampled,
      defects: lots.defects,
    })
    .from(lots)
    .innerJoin(orders, eq(orders.id, lots.orderId))
    .where(
      inJsonList(
        lots.number,
        unalerted.map((lot) => lot.number),
      ),
    )
    .orderBy(asc(lots.id));
  return rows.map((row) => ({
    kind: "quality",
    entity: row.number,
    level: "finding",
    safety: false,
    facts: { type: "quality", ...row },
  }));
}

/** Counts closed above the error limit whose recounts are open, not alerted yet. */
async function stocktakeConditions(db: Db, now: Date, today: LocalDate): Promise<AlertCondition[]> {
  const rows = await db
    .select({
      number: stocktakes.number,
      warehouse: stocktakes.warehouse,
      bookTotal: stocktakes.bookTotal,
      differenceTotal: stocktakes.differenceTotal,
      recounts: sql<number>`(select count(*) from ${tasks} where ${tasks.sourceType} = 'stocktake'
        and ${tasks.sourceId} = ${stocktakes.number})`.mapWith(Number),
    })
    .from(stocktakes)
    .where(
      and(holdingSubjects(now, today).stocktake, notRaised("stocktake", stocktakes.number, sql`'error'`)),
    )
    .orderBy(asc(stocktakes.id));
  return rows.map((row) => {
    const book = fromStored(row.bookTotal ?? "0");
    const difference = fromStored(row.differenceTotal ?? "0");
    return {
      kind: "stocktake",
      entity: row.number,
      level: "error",
      safety: false,
      facts: {
        type: "stocktake",
        number: row.number,
        warehouse: row.warehouse,
        bookTotal: formatQuantity(book),
        differenceTotal: formatQuantity(difference),
        rate: percentText(difference, book, RATE_DECIMALS),
        recounts: row.recounts,
      },
    };
  });
}

/** Reimbursements waiting for finance past their deadline, not alerted yet. */
async function expenseConditions(db: Db, now: Date, today: LocalDate): Promise<AlertCondition[]> {
  const rows = await db
    .select({
      number: expenses.number,
      amount: expenses.amount,
      reason: expenses.reason,
      requestedByName: people.displayName,
      requestedAt: expenses.requestedAt,
      dueAt: expenses.signDueAt,
    })
    .from(expenses)
    .innerJoin(people, eq(people.id, expenses.requestedBy))
    .where(and(holdingSubjects(now, today).expense, notRaised("expense", expenses.number, sql`'overdue'`)))
    .orderBy(asc(expenses.id));
  return rows.map((row) => ({
    kind: "expense",
    entity: row.number,
    level: "overdue",
    safety: false,
    facts: {
      type: "expense",
      ...row,
      requestedAt: row.requestedAt.toISOString(),
      dueAt: row.dueAt.toISOString(),
    },
  }));
}

/**
 * The complaint, order and task conditions that hold at `now` (business day and time in the calendar's zone) and
 * were not raised before at their level or a graver one: in steady state the queries return nothing.
 */
export async function unraisedConditions(
  db: Db,
  now: Date,
  calendar: WorkingCalendar,
): Promise<AlertCondition[]> {
  const today = localDateOf(now, calendar.timezone);
  const blocks = await Promise.all([
    complaintConditions(db, now, today, calendar),
    orderConditions(db, now, today),
    taskConditions(db, now, today),
    stockConditions(db, now, calendar),
    maintenanceConditions(db, now, today),
    riskConditions(db, now, calendar),
    qualityConditions(db, now, today),
    stocktakeConditions(db, now, today),
    missedReconciliations(db, now, calendar),
    expenseConditions(db, now, today),
  ]);
  return blocks.flat();
}

/** Calendar days an order is late on `today`, from its original due date. */
export const daysLate = (originalDueDate: LocalDate, today: LocalDate): number =>
  Math.max(0, calendarDaysBetween(originalDueDate, today));
