// The production schedule: each line's open orders queued by priority, due date and number, filling the line's
// capacity over working days from today; a day's share of each order, and the orders that will finish late.
import type { LocalDate } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { SCHEDULE_HORIZON_WORKING_DAYS } from "../policy.ts";
import type { ProductionLine } from "./lines.ts";
import { type Priority, priorityRank } from "./priority.ts";

/** A confirmed, not completed order as the schedule needs it. */
export interface OpenOrder {
  number: string;
  lineId: number | null;
  priority: Priority;
  dueDate: LocalDate;
  quantity: number;
}

export interface PlannedOrder extends OpenOrder {
  /** Units the line makes of it on the planned day (0 when it is made on other days). */
  units: number;
  /** The working day its last unit is made; undefined beyond the schedule's horizon. */
  finishes: LocalDate | undefined;
  /** It finishes after its due date at the line's capacity. */
  late: boolean;
}

export interface LinePlan {
  line: ProductionLine;
  /** The orders with units on the planned day, in queue order. */
  today: PlannedOrder[];
  /** Units planned on the day (at most the capacity). */
  planned: number;
  /** Every late order of the line, in queue order (those made on the day among them). */
  late: PlannedOrder[];
  /** Open orders queued on the line. */
  queued: number;
  /** The people rostered on the day for the post named like the line; undefined when none is. */
  rostered?: readonly string[];
}

export interface Schedule {
  /** The day planned. */
  day: LocalDate;
  /** False for a weekend or holiday: nothing is made on it. */
  working: boolean;
  /** The working day the queue starts on: today, or the next working day after it. */
  start: LocalDate;
  /** Where the horizon ends, when an order finishes after it (it shows as finishing "after" it). */
  horizonEnd?: LocalDate;
  lines: LinePlan[];
  /** Open orders on no line, by priority, due date and number. */
  unassigned: OpenOrder[];
}

/** High before normal before low; then the earlier due date; then the order number. */
function queueOrder(a: OpenOrder, b: OpenOrder): number {
  return (
    priorityRank(a.priority) - priorityRank(b.priority) ||
    (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0) ||
    (a.number < b.number ? -1 : a.number > b.number ? 1 : 0)
  );
}

/**
 * The working days from `start` on, counted 0, 1, 2…, found as far as asked and never past the horizon: walking
 * the calendar is the plan's dearest step, so it goes only as far as the longest queue reaches.
 */
function workingDaysFrom(start: LocalDate, calendar: WorkingCalendar) {
  const days = [start];
  return {
    /** Working day `index` counted from the start; undefined past the horizon. */
    at(index: number): LocalDate | undefined {
      if (index >= SCHEDULE_HORIZON_WORKING_DAYS) return undefined;
      while (days.length <= index) days.push(calendar.nextWorkingDay(days.at(-1) as LocalDate).day);
      return days[index];
    },
    /** The last working day the schedule looks at. */
    horizonEnd(): LocalDate {
      return this.at(SCHEDULE_HORIZON_WORKING_DAYS - 1) as LocalDate;
    },
  };
}

type WorkingDays = ReturnType<typeof workingDaysFrom>;

/** One line's queue walked forward: the units of each order on working day `dayIndex` and when each finishes. */
function planLine(
  line: ProductionLine,
  queue: readonly OpenOrder[],
  dayIndex: number | undefined,
  workingDays: WorkingDays,
): LinePlan {
  const { capacity } = line;
  const dayFrom = dayIndex === undefined ? 0 : dayIndex * capacity;
  const dayTo = dayIndex === undefined ? 0 : dayFrom + capacity;
  const today: PlannedOrder[] = [];
  const late: PlannedOrder[] = [];
  let made = 0;
  let planned = 0;
  for (const order of queue) {
    const before = made;
    made += order.quantity;
    // The last unit is made on working day ⌈made ÷ capacity⌉ − 1 counted from the start.
    const finishes = workingDays.at(Math.ceil(made / capacity) - 1);
    const isLate =
      finishes === undefined ? order.dueDate <= workingDays.horizonEnd() : finishes > order.dueDate;
    const units = Math.max(0, Math.min(made, dayTo) - Math.max(before, dayFrom));
    if (units === 0 && !isLate) continue;
    const plannedOrder = { ...order, units, finishes, late: isLate };
    if (units > 0) today.push(plannedOrder);
    if (isLate) late.push(plannedOrder);
    planned += units;
  }
  return { line, today, planned, late, queued: queue.length };
}

export interface ScheduleInput {
  lines: readonly ProductionLine[];
  orders: readonly OpenOrder[];
  /** Today in OPS_TIMEZONE: the queue starts on it (or on the next working day). */
  today: LocalDate;
  /** The day to plan: today or later. */
  day: LocalDate;
  calendar: WorkingCalendar;
}

/** Plans `day`: every line's share of its queue on that day, and the orders that will finish late. */
export function planSchedule({ lines, orders, today, day, calendar }: ScheduleInput): Schedule {
  const start = calendar.isWorkingDay(today).working ? today : calendar.nextWorkingDay(today).day;
  const workingDays = workingDaysFrom(start, calendar);
  const working = calendar.isWorkingDay(day).working;
  // Working days d with start < d ≤ day: the day's index in the queue counted from the start.
  const dayIndex = working && day >= start ? calendar.workingDaysBetween(start, day).days : undefined;
  const sorted = [...orders].sort(queueOrder);
  const queues = new Map<number, OpenOrder[]>(lines.map((line) => [line.id, []]));
  const unassigned: OpenOrder[] = [];
  for (const order of sorted) {
    const queue = order.lineId === null ? undefined : queues.get(order.lineId);
    if (queue) queue.push(order);
    else unassigned.push(order);
  }
  const plans = lines.map((line) => planLine(line, queues.get(line.id) ?? [], dayIndex, workingDays));
  const shown = plans.flatMap((plan) => [...plan.today, ...plan.late]);
  const overflows = shown.some((order) => order.finishes === undefined);
  return {
    day,
    working,
    start,
    ...(overflows && { horizonEnd: workingDays.horizonEnd() }),
    lines: plans,
    unassigned,
  };
}
