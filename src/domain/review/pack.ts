// The monthly review pack: the previous month in sections, each from its own source, in the order they are read.
// A new area adds its section by adding a source to REVIEW_SECTIONS (and its words in commands/review).
import { and, asc, eq, gte, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import {
  alerts,
  complaints,
  findings,
  inspectionAreas,
  inspectionItems,
  inspections,
  orders,
  people,
  tasks,
} from "../../db/schema/index.ts";
import type { AlertFacts } from "../alerts/conditions.ts";
import { calendarDaysBetween, type LocalDate, localDateOf } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { computeKpis } from "../kpi/compute.ts";
import { type KpiInstants, type KpiWindow, windowInstants } from "../kpi/window.ts";
import { REVIEW_PACK_SECTION_ITEMS } from "../policy.ts";
import { METRICS, type Metric } from "../targets/metrics.ts";
import { listTargets, standings } from "../targets/targets.ts";
import type { Month } from "./schedule.ts";

export interface MetricStanding {
  metric: Metric;
  actual: number | null;
  /** The company's monthly target, when one is set. */
  target: number | null;
  met: boolean | null;
}

export interface LateOrder {
  number: string;
  customer: string;
  originalDueDate: LocalDate;
  /** Calendar days from the original due date to completion, or to today while open. */
  daysLate: number;
  completed: boolean;
}

export interface ComplaintBreach {
  number: string;
  customer: string;
  response: boolean;
  resolution: boolean;
}

export interface InspectionFinding {
  inspection: string;
  area: { zh: string; en: string };
  item: { zh: string; en: string };
  /** The reading as recorded ("31" or "fail" for a failed check) and the range it was held against. */
  value: string;
  range: { min: number | null; max: number | null; unit: string | null };
  safety: boolean;
}

export interface OverdueTask {
  number: string;
  title: string;
  ownerName: string;
  dueDate: LocalDate;
  done: boolean;
}

export interface StockShortage {
  sku: string;
  name: string;
}

export interface OverdueService {
  code: string;
  name: string;
  dueDate: LocalDate;
}

/** A section's items: at most REVIEW_PACK_SECTION_ITEMS of them, `total` always whole. */
interface Listed<T> {
  total: number;
  items: T[];
}

export type ReviewSection =
  | { id: "metrics"; metrics: MetricStanding[]; provisional: boolean }
  | ({ id: "late_orders" } & Listed<LateOrder>)
  | ({ id: "complaint_breaches" } & Listed<ComplaintBreach>)
  | ({ id: "inspection_findings" } & Listed<InspectionFinding>)
  | ({ id: "overdue_tasks" } & Listed<OverdueTask>)
  | ({ id: "stock_shortages" } & Listed<StockShortage>)
  | ({ id: "overdue_services" } & Listed<OverdueService>);

export type ReviewSectionId = ReviewSection["id"];

interface ReviewContext {
  db: Db;
  window: KpiWindow;
  instants: KpiInstants;
  now: Date;
  today: LocalDate;
  timezone: string;
  calendar: WorkingCalendar;
}

interface ReviewSectionSource {
  id: ReviewSectionId;
  collect(context: ReviewContext): Promise<ReviewSection>;
}

export interface ReviewPack {
  month: Month;
  window: KpiWindow;
  /** In reading order: a platform that must cut a long card cuts from the end. */
  sections: ReviewSection[];
}

const listed = <T>(rows: readonly T[]): Listed<T> => ({
  total: rows.length,
  items: rows.slice(0, REVIEW_PACK_SECTION_ITEMS),
});

/** Every metric of the month against the company's monthly target, whether or not one is set. */
const metricsSection: ReviewSectionSource = {
  id: "metrics",
  async collect({ db, window, now, timezone, calendar }) {
    const [kpis, targets] = await Promise.all([
      computeKpis(db, { window, now, timezone, calendar }),
      listTargets(db),
    ]);
    const company = standings(
      targets.filter((target) => target.department === ""),
      "month",
      kpis,
    );
    const metrics = METRICS.map((metric): MetricStanding => {
      const standing = company.find((entry) => entry.metric.id === metric.id);
      return {
        metric,
        actual: metric.actual(kpis),
        target: standing?.target.value ?? null,
        met: standing?.met ?? null,
      };
    });
    return { id: "metrics", metrics, provisional: kpis.provisional };
  },
};

/** Orders whose original due date fell in the month and that were completed after it, or are still open past it. */
const lateOrdersSection: ReviewSectionSource = {
  id: "late_orders",
  async collect({ db, window, today, timezone }) {
    const completedOn = sql<string>`((${orders.completedAt} at time zone ${timezone})::date)::text`;
    const rows = await db
      .select({
        number: orders.number,
        customer: orders.customer,
        originalDueDate: orders.originalDueDate,
        status: orders.status,
        completedOn,
      })
      .from(orders)
      .where(
        and(
          gte(orders.originalDueDate, window.from),
          lte(orders.originalDueDate, window.to),
          or(
            and(eq(orders.status, "completed"), sql`${completedOn} > ${orders.originalDueDate}::text`),
            and(eq(orders.status, "confirmed"), lt(orders.originalDueDate, today)),
          ),
        ),
      )
      .orderBy(asc(orders.originalDueDate), asc(orders.number));
    const late = rows.map(
      (row): LateOrder => ({
        number: row.number,
        customer: row.customer,
        originalDueDate: row.originalDueDate,
        completed: row.status === "completed",
        daysLate: calendarDaysBetween(
          row.originalDueDate,
          row.status === "completed" ? row.completedOn : today,
        ),
      }),
    );
    late.sort((a, b) => b.daysLate - a.daysLate || a.number.localeCompare(b.number));
    return { id: "late_orders", ...listed(late) };
  },
};

/** Complaints with a clock due in the month that was missed: not met by its deadline. */
const complaintBreachesSection: ReviewSectionSource = {
  id: "complaint_breaches",
  async collect({ db, instants: { start, end }, now }) {
    const missed = (due: typeof complaints.responseDueAt, met: typeof complaints.respondedAt) =>
      and(gte(due, start), lt(due, end), or(and(isNull(met), lte(due, now)), sql`${met} > ${due}`));
    const response = missed(complaints.responseDueAt, complaints.respondedAt);
    const resolution = missed(complaints.resolutionDueAt, complaints.resolvedAt);
    const rows = await db
      .select({
        number: complaints.number,
        customer: complaints.customer,
        response: sql<boolean>`coalesce(${response}, false)`,
        resolution: sql<boolean>`coalesce(${resolution}, false)`,
      })
      .from(complaints)
      .where(or(response, resolution))
      .orderBy(asc(complaints.receivedAt), asc(complaints.number));
    return { id: "complaint_breaches", ...listed(rows) };
  },
};

/** Findings raised by the month's inspections, safety ones first. */
const inspectionFindingsSection: ReviewSectionSource = {
  id: "inspection_findings",
  async collect({ db, instants: { start, end } }) {
    const rows = await db
      .select({
        inspection: inspections.number,
        areaZh: inspectionAreas.nameZh,
        areaEn: inspectionAreas.nameEn,
        itemZh: inspectionItems.labelZh,
        itemEn: inspectionItems.labelEn,
        value: findings.value,
        min: findings.rangeMin,
        max: findings.rangeMax,
        unit: findings.unit,
        safety: findings.safety,
      })
      .from(findings)
      .innerJoin(inspections, eq(inspections.id, findings.inspectionId))
      .innerJoin(inspectionAreas, eq(inspectionAreas.id, inspections.areaId))
      .innerJoin(inspectionItems, eq(inspectionItems.id, findings.itemId))
      .where(and(gte(findings.createdAt, start), lt(findings.createdAt, end)))
      .orderBy(sql`${findings.safety} desc`, asc(findings.createdAt), asc(findings.id));
    const found = rows.map(
      (row): InspectionFinding => ({
        inspection: row.inspection,
        area: { zh: row.areaZh, en: row.areaEn },
        item: { zh: row.itemZh, en: row.itemEn },
        value: row.value,
        range: { min: row.min, max: row.max, unit: row.unit },
        safety: row.safety,
      }),
    );
    return { id: "inspection_findings", ...listed(found) };
  },
};

/** Tasks due in the month that were done late or are still open past their date. */
const overdueTasksSection: ReviewSectionSource = {
  id: "overdue_tasks",
  async collect({ db, window, today, timezone }) {
    const doneOn = sql<string>`((${tasks.doneAt} at time zone ${timezone})::date)::text`;
    const rows = await db
      .select({
        number: tasks.number,
        title: tasks.title,
        ownerName: people.displayName,
        dueDate: tasks.dueDate,
        status: tasks.status,
      })
      .from(tasks)
      .innerJoin(people, eq(people.id, tasks.ownerId))
      .where(
        and(
          gte(tasks.dueDate, window.from),
          lte(tasks.dueDate, window.to),
          or(
            and(eq(tasks.status, "open"), lt(tasks.dueDate, today)),
            and(eq(tasks.status, "done"), sql`${doneOn} > ${tasks.dueDate}::text`),
          ),
        ),
      )
      .orderBy(asc(tasks.dueDate), asc(tasks.number));
    const late = rows.map(({ status, ...task }): OverdueTask => ({ ...task, done: status === "done" }));
    return { id: "overdue_tasks", ...listed(late) };
  },
};

/** The alerts of a kind raised in the month, oldest first, with the facts they were raised with. */
async function alertsRaised(context: ReviewContext, kind: string): Promise<AlertFacts[]> {
  const rows = await context.db
    .select({ facts: alerts.facts })
    .from(alerts)
    .where(
      and(
        eq(alerts.kind, kind),
        inArray(alerts.level, ["low", "overdue"]),
        gte(alerts.raisedAt, context.instants.start),
        lt(alerts.raisedAt, context.instants.end),
      ),
    )
    .orderBy(asc(alerts.raisedAt), asc(alerts.id));
  return rows.map((row) => row.facts as AlertFacts);
}

/** Materials that fell below their safety stock during the month. */
const stockShortagesSection: ReviewSectionSource = {
  id: "stock_shortages",
  async collect(context) {
    const shortages = (await alertsRaised(context, "stock")).flatMap((facts) =>
      facts.type === "stock" ? [{ sku: facts.sku, name: facts.name }] : [],
    );
    return { id: "stock_shortages", ...listed(shortages) };
  },
};

/** Equipment services that went overdue during the month. */
const overdueServicesSection: ReviewSectionSource = {
  id: "overdue_services",
  async collect(context) {
    const services = (await alertsRaised(context, "maintenance")).flatMap((facts) =>
      facts.type === "maintenance" ? [{ code: facts.code, name: facts.name, dueDate: facts.dueDate }] : [],
    );
    return { id: "overdue_services", ...listed(services) };
  },
};

/** The sections in reading order: what matters most first, as a card that is too long is cut from its end. */
export const REVIEW_SECTIONS: readonly ReviewSectionSource[] = [
  metricsSection,
  lateOrdersSection,
  complaintBreachesSection,
  inspectionFindingsSection,
  overdueTasksSection,
  stockShortagesSection,
  overdueServicesSection,
];

const lastDayOf = (month: Month): LocalDate => {
  const [year = 0, number = 1] = month.split("-").map(Number);
  const days = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, "0")}`;
};

/** The pack of `month` as it stands at `now`: every section's source read for the month's local days. */
export async function computeReviewPack(
  db: Db,
  {
    month,
    now,
    timezone,
    calendar,
  }: { month: Month; now: Date; timezone: string; calendar: WorkingCalendar },
): Promise<ReviewPack> {
  const window: KpiWindow = { from: `${month}-01`, to: lastDayOf(month) };
  const context: ReviewContext = {
    db,
    window,
    instants: windowInstants(window, timezone),
    now,
    today: localDateOf(now, timezone),
    timezone,
    calendar,
  };
  const sections = await Promise.all(REVIEW_SECTIONS.map((source) => source.collect(context)));
  return { month, window, sections };
}
