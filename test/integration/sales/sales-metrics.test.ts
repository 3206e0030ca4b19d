// The sales log's metrics counted per window: enquiries and their conversion, feedback, and the weekly call-back
// rate (customers with an order completed in the ISO week before the window's last day, called back from that
// week's Monday up to the window's end or now).
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { orders, salesEntries } from "../../../src/db/schema/index.ts";
import type { Actor } from "../../../src/domain/actor.ts";
import { createWorkingCalendar } from "../../../src/domain/calendar/working-calendar.ts";
import type { AreaFigure } from "../../../src/domain/kpi/area-metrics.ts";
import { type KpiWindow, windowInstants } from "../../../src/domain/kpi/window.ts";
import { logSalesEntry, type SalesKind } from "../../../src/domain/sales/entries.ts";
import { SALES_METRICS } from "../../../src/domain/sales/metrics.ts";
import { useTestDatabase } from "../../helpers/database.ts";
import { local, person, TIMEZONE } from "../alerts/support.ts";

const t = useTestDatabase();
let seller: number;
let message = 0;
/** Thursday 2026-11-26 15:00 in Shanghai: the week judged for this week's windows is 11-16 – 11-22. */
const NOW = local("2026-11-26", "15:00");

const log = async (kind: SalesKind, customer: string, at: Date) => {
  const actor: Actor = {
    personId: seller,
    name: "销售",
    roles: ["staff"],
    platform: "lark",
    platformMessageId: `om_sales_${++message}`,
    at,
  };
  return logSalesEntry(t.database.db, actor, {
    kind,
    customer,
    text: "…",
    chatId: "oc_sales",
    timezone: TIMEZONE,
  });
};

async function completed(customer: string, at: Date): Promise<void> {
  const number = `O-TEST-${++message}`;
  await t.database.db.insert(orders).values({
    number,
    customer,
    model: "X1",
    quantity: 1,
    dueDate: "2026-11-30",
    originalDueDate: "2026-11-30",
    status: "completed",
    platform: "lark",
    chatId: "oc_sales",
    createdBy: seller,
    createdAt: local("2026-11-01", "09:00"),
    completedAt: at,
    completedBy: seller,
  });
}

async function figures(window: KpiWindow): Promise<Record<string, AreaFigure>> {
  const calendar = createWorkingCalendar({ timezone: TIMEZONE });
  const [counted] = await SALES_METRICS.compute(
    t.database.db,
    [{ window, instants: windowInstants(window, TIMEZONE) }],
    { timezone: TIMEZONE, now: NOW, today: "2026-11-26", calendar },
  );
  if (!counted) throw new Error("no figures");
  return counted;
}
const shareOf = (figure: AreaFigure | undefined) =>
  figure?.unit === "rate" ? [figure.numerator, figure.denominator] : figure;

beforeEach(async () => {
  seller = await person(t.database, "ou_seller", "销售");
});

describe("the call-back rate", () => {
  beforeEach(async () => {
    // Completed in the week 11-16 – 11-22: Huawei (twice), ACME (typed full-width with a space), Xiaomi at its
    // last minute. Before it: Vivo. After it: Oppo, just after midnight.
    await completed("华为", local("2026-11-17", "10:00"));
    await completed("华为", local("2026-11-19", "10:00"));
    await completed("ＡＣＭＥ ", local("2026-11-20", "16:00"));
    await completed("小米", local("2026-11-22", "23:59"));
    await completed("vivo", local("2026-11-15", "12:00"));
    await completed("OPPO", local("2026-11-23", "00:10"));
    // Called back: Huawei on the week's Monday, ACME this Wednesday; Xiaomi only before the week and after now.
    await log("followup", "华为", local("2026-11-16", "09:00"));
    await log("followup", "acme", local("2026-11-25", "11:00"));
    await log("followup", "小米", local("2026-11-15", "11:00"));
    await log("followup", "小米", local("2026-11-26", "16:00"));
    await log("followup", "OPPO", local("2026-11-24", "11:00"));
  });

  it("counts last week's customers called back up to now, in the day, week and month windows", async () => {
    for (const window of [
      { from: "2026-11-26", to: "2026-11-26" },
      { from: "2026-11-23", to: "2026-11-29" },
      { from: "2026-11-01", to: "2026-11-30" },
    ]) {
      expect(shareOf((await figures(window)).callback_rate)).toEqual([2, 3]);
    }
  });

  it("judges an earlier day against the week before it, with follow-ups up to that day's end only", async () => {
    // Monday 11-16: the week judged is 11-09 – 11-15, whose one customer (Vivo) was never called back.
    expect(shareOf((await figures({ from: "2026-11-16", to: "2026-11-16" })).callback_rate)).toEqual([0, 1]);
  });

  it("is — when no order was completed in the week judged", async () => {
    const figure = (await figures({ from: "2026-11-05", to: "2026-11-05" })).callback_rate;
    expect(figure).toEqual({ unit: "rate", numerator: 0, denominator: 0, rate: null });
  });
});

describe("enquiries, conversion and feedback", () => {
  it("counts the window's leads, the share converted, and the feedback", async () => {
    const first = await log("lead", "华为", local("2026-11-26", "09:00"));
    await log("lead", "小米", local("2026-11-26", "10:00"));
    await log("lead", "OPPO", local("2026-11-25", "10:00"));
    await log("feedback", "华为", local("2026-11-26", "11:00"));
    await t.database.db
      .update(salesEntries)
      .set({ status: "converted", orderNumber: "O-20261126-001" })
      .where(eq(salesEntries.id, first.id));
    const today = await figures({ from: "2026-11-26", to: "2026-11-26" });
    expect(today.enquiries).toEqual({ unit: "count", value: 2 });
    expect(shareOf(today.conversion)).toEqual([1, 2]);
    expect(today.feedback).toEqual({ unit: "count", value: 1 });
    expect(shareOf((await figures({ from: "2026-11-25", to: "2026-11-25" })).conversion)).toEqual([0, 1]);
  });
});
