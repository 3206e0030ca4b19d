// Stock below its safety stock: the ledger, one alert per drop with the quantity to order, cleared on recovery,
// released on working days (a make-up Saturday too) and held over a holiday.
import { asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { alerts, auditLog, stockItems, stockMovements } from "../../../src/db/schema/index.ts";
import { defineStockItem, recordStockMovement } from "../../../src/domain/stock/changes.ts";
import { parseQuantity } from "../../../src/domain/stock/quantity.ts";
import { StockRefused } from "../../../src/domain/stock/refusal.ts";
import { listStock } from "../../../src/domain/stock/status.ts";
import { larkActor, useAlertArea } from "../../helpers/alert-area.ts";
import { cardOf, keysOf, local, person, TIMEZONE } from "../alerts/support.ts";

const t = useAlertArea({ start: local("2026-09-01", "08:00") });
let keeper: number;

const qty = (typed: string) => {
  const value = parseQuantity(typed);
  if (value === undefined) throw new Error(`not a quantity: ${typed}`);
  return value;
};
const actorAt = larkActor("stock", { personId: () => keeper, name: "仓管", roles: ["warehouse"] });
const declare = (at: Date, dailyUse = "10") =>
  defineStockItem(
    t.database.db,
    actorAt(at),
    { sku: "pvc-01", name: "PVC 粒料", declaredDailyUse: qty(dailyUse), unit: "kg" },
    TIMEZONE,
  );
const move = (at: Date, kind: "in" | "out" | "set", quantity: string) =>
  recordStockMovement(t.database.db, actorAt(at), { sku: "PVC-01", kind, quantity: qty(quantity) }, TIMEZONE);
const stockKeys = () => keysOf(t.sent).filter((key) => key.startsWith("alert:stock"));
const alertKey = (drop: number, n = 0) => `alert:stock:PVC-01#${drop}:low:${n}:lark:oc_alerts`;

beforeEach(async () => {
  keeper = await person(t.database, "ou_keeper", "仓管");
});

describe("stock on a working day (Wednesday 2026-11-25)", () => {
  it("alerts a drop below 3 days' use once with what to order, clears on recovery, alerts the next drop again", async () => {
    await declare(local("2026-11-25", "09:00"));
    await t.bot.sweep(local("2026-11-25", "09:00"));
    expect(stockKeys()).toEqual([]);
    await move(local("2026-11-25", "09:01"), "in", "100.5");
    const fell = await move(local("2026-11-25", "09:02"), "out", "75.75");
    expect(fell.crossed).toBe("fell");
    expect(fell.status.onHand).toBe(qty("24.75"));
    expect(fell.status.safetyStock).toBe(qty("30"));
    expect(fell.status.toOrder).toBe(qty("5.25"));

    await t.bot.sweep(local("2026-11-25", "09:03"));
    expect(stockKeys()).toEqual([alertKey(1)]);
    const card = cardOf(t.sent.at(-1)?.message);
    expect(card.fields).toContainEqual({ label: "需补货 / To order", value: "5.25 kg" });
    expect(card.fields).toContainEqual({ label: "日用量 / Daily use", value: "10 kg (申报 / declared)" });

    // Still low after another issue: no second alert.
    expect((await move(local("2026-11-25", "09:10"), "out", "1")).crossed).toBeUndefined();
    await t.bot.sweep(local("2026-11-25", "09:11"));
    expect(stockKeys()).toEqual([alertKey(1)]);

    // Back to the safety stock exactly: no longer below, the alert is cleared.
    expect((await move(local("2026-11-25", "09:20"), "in", "6.25")).crossed).toBe("recovered");
    const cleared = await t.bot.sweep(local("2026-11-25", "09:21"));
    expect(cleared.cleared).toBe(1);
    const [closed] = await t.database.db.select().from(alerts).where(eq(alerts.entity, "PVC-01#1"));
    expect(closed?.closedReason).toBe("cleared");

    // A later drop is a new alert.
    expect((await move(local("2026-11-25", "09:30"), "set", "2")).crossed).toBe("fell");
    await t.bot.sweep(local("2026-11-25", "09:31"));
    expect(stockKeys()).toEqual([alertKey(1), alertKey(2)]);
  });

  it("keeps a ledger and an audit row of every change, and refuses what cannot be done without changing anything", async () => {
    await declare(local("2026-11-25", "09:00"));
    await move(local("2026-11-25", "09:01"), "in", "5");
    await expect(move(local("2026-11-25", "09:02"), "out", "5.001")).rejects.toBeInstanceOf(StockRefused);
    await expect(
      recordStockMovement(
        t.database.db,
        actorAt(local("2026-11-25", "09:03")),
        { sku: "NOPE", kind: "in", quantity: 1000n },
        TIMEZONE,
      ),
    ).rejects.toMatchObject({ refusal: { kind: "unknown_sku", sku: "NOPE" } });
    const ledger = await t.database.db.select().from(stockMovements).orderBy(asc(stockMovements.id));
    expect(ledger.map((row) => [row.kind, row.quantity, row.delta, row.onHandAfter])).toEqual([
      ["in", "5.000", "5.000", "5.000"],
    ]);
    const [item] = await t.database.db.select().from(stockItems);
    expect(item?.onHand).toBe("5.000");
    const actions = await t.database.db.select().from(auditLog).where(eq(auditLog.entityType, "stock_item"));
    expect(actions.map((row) => row.action)).toEqual(["stock.item_declared", "stock.in"]);
  });
});

describe("the daily use from recorded outflows", () => {
  it("uses the declared daily use until 7 days have outflows, then their average over the days since the first", async () => {
    await declare(local("2026-11-01", "09:00"), "1");
    await move(local("2026-11-01", "09:01"), "in", "1000");
    for (let day = 1; day <= 6; day++) await move(local(`2026-11-0${day}`, "10:00"), "out", "20");
    const [six] = await listStock(t.database.db, { now: local("2026-11-06", "11:00"), timezone: TIMEZONE });
    expect(six?.dailyUse).toEqual({ value: qty("1"), source: "declared", recordedDays: 6 });
    await move(local("2026-11-08", "10:00"), "out", "20");
    // 140 over the 8 days from 11-01 to 11-08.
    const [seven] = await listStock(t.database.db, { now: local("2026-11-08", "11:00"), timezone: TIMEZONE });
    expect(seven?.dailyUse).toEqual({ value: qty("17.5"), source: "recorded", recordedDays: 7 });
    expect(seven?.safetyStock).toBe(qty("52.5"));
    // Forty days on, the outflows have left the window: back to the declared use.
    const [later] = await listStock(t.database.db, { now: local("2026-12-18", "11:00"), timezone: TIMEZONE });
    expect(later?.dailyUse.source).toBe("declared");
  });
});

describe("stock alerts and the working calendar", () => {
  it("goes out at once on the make-up Saturday 2026-10-10", async () => {
    await declare(local("2026-10-10", "10:00"));
    await move(local("2026-10-10", "10:00"), "set", "29.999");
    await t.bot.sweep(local("2026-10-10", "10:01"));
    expect(stockKeys()).toEqual([alertKey(1)]);
  });

  it("waits over the National Day holiday 2026-10-01 for the next working day's working hours", async () => {
    await declare(local("2026-10-01", "10:00"));
    await move(local("2026-10-01", "10:00"), "in", "1");
    await t.bot.sweep(local("2026-10-01", "10:01"));
    expect(stockKeys()).toEqual([]);
    const [held] = await t.database.db.select().from(alerts).where(eq(alerts.kind, "stock"));
    expect(held?.notifyAt).toEqual(local("2026-10-08", "08:00"));
    await t.bot.sweep(local("2026-10-08", "08:00"));
    expect(stockKeys()).toEqual([alertKey(1)]);
  });
});
