// The production schedule's queue on the working calendar: priority, then due date, then number; each day's share
// of the capacity; late flags; a holiday week, the make-up Saturday 2026-10-10, and a capacity change.
import { describe, expect, it } from "vitest";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.ts";
import type { OpenOrder } from "../../../src/domain/orders/index.ts";
import { planSchedule } from "../../../src/domain/orders/schedule.ts";

const calendar = createWorkingCalendar({ timezone: "Asia/Shanghai" });
// Wednesday 2026-09-30 is the last working day before the National Day holiday (10-01 to 10-07); then 10-08,
// 10-09, the make-up Saturday 10-10, and Monday 10-12.
const TODAY = "2026-09-30";

const order = (
  number: string,
  priority: OpenOrder["priority"],
  dueDate: string,
  quantity: number,
  lineId: number | null = 1,
) => ({
  number,
  lineId,
  priority,
  dueDate,
  quantity,
});

const ORDERS: OpenOrder[] = [
  order("O-20260930-001", "normal", "2026-10-09", 150),
  order("O-20260930-002", "high", "2026-10-12", 100),
  order("O-20260930-003", "normal", "2026-10-08", 50),
  order("O-20260930-004", "low", "2026-10-08", 10),
  order("O-20260930-005", "high", "2026-10-08", 5, null),
];

const plan = (day: string, capacity = 100) =>
  planSchedule({ lines: [{ id: 1, name: "L1", capacity }], orders: ORDERS, today: TODAY, day, calendar });

const shares = (day: string, capacity?: number) =>
  plan(day, capacity).lines[0]?.today.map((o) => [o.number.slice(-3), o.units, o.finishes, o.late]);

describe("planSchedule", () => {
  it("queues high first, then the earlier due date, then the number, and fills each working day's capacity", () => {
    expect(shares("2026-09-30")).toEqual([["002", 100, "2026-09-30", false]]);
    // The holiday week makes nothing; the queue goes on on the next working day.
    expect(shares("2026-10-08")).toEqual([
      ["003", 50, "2026-10-08", false],
      ["001", 50, "2026-10-09", false],
    ]);
    expect(shares("2026-10-09")).toEqual([["001", 100, "2026-10-09", false]]);
    // The make-up Saturday is a working day: the low-priority order is made on it, after its due date.
    expect(shares("2026-10-10")).toEqual([["004", 10, "2026-10-10", true]]);
    expect(shares("2026-10-12")).toEqual([]);
  });

  it("flags every order that finishes after its due date, and lists the ones on no line", () => {
    const schedule = plan("2026-09-30");
    expect(schedule.lines[0]?.late.map((o) => o.number)).toEqual(["O-20260930-004"]);
    expect(schedule.lines[0]).toMatchObject({ planned: 100, queued: 4 });
    expect(schedule.unassigned.map((o) => o.number)).toEqual(["O-20260930-005"]);
  });

  it("at half the capacity pushes the queue back and makes more orders late", () => {
    const schedule = plan("2026-10-08", 50);
    expect(schedule.lines[0]?.today.map((o) => [o.number.slice(-3), o.units])).toEqual([["002", 50]]);
    expect(schedule.lines[0]?.late.map((o) => [o.number.slice(-3), o.finishes])).toEqual([
      ["003", "2026-10-09"],
      ["001", "2026-10-13"],
      ["004", "2026-10-14"],
    ]);
  });

  it("on a holiday makes nothing but still flags the late orders", () => {
    const schedule = plan("2026-10-01");
    expect(schedule).toMatchObject({ working: false, start: "2026-09-30" });
    expect(schedule.lines[0]?.today).toEqual([]);
    expect(schedule.lines[0]?.late.map((o) => o.number)).toEqual(["O-20260930-004"]);
  });

  it("starts the queue on the next working day when today is a day off", () => {
    const schedule = planSchedule({
      lines: [{ id: 1, name: "L1", capacity: 100 }],
      orders: ORDERS,
      today: "2026-10-03",
      day: "2026-10-08",
      calendar,
    });
    expect(schedule.start).toBe("2026-10-08");
    expect(schedule.lines[0]?.today.map((o) => [o.number.slice(-3), o.units])).toEqual([["002", 100]]);
  });

  it("says an order finishing past the horizon finishes beyond it, late when due before its end", () => {
    const schedule = planSchedule({
      lines: [{ id: 1, name: "L1", capacity: 1 }],
      orders: [order("O-20260930-009", "normal", "2026-12-31", 1_000_000)],
      today: TODAY,
      day: TODAY,
      calendar,
    });
    expect(schedule.lines[0]?.today[0]).toMatchObject({ units: 1, finishes: undefined, late: true });
  });
});
