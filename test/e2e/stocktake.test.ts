// Stocktake end to end through the signed webhooks of Lark, DingTalk, the WeCom app and the WeCom robot: a count
// opened with the book quantities, lines counted in exact decimals, the close (error rate, the ledger adjusted, the
// 2 % boundary: exactly 2 % is not above), recount tasks and the alert above it, the metric in /kpi and targets,
// and the month-end job on a working day, a make-up Saturday, and when the month ends on a weekend or a holiday.
import { and, asc, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  alerts,
  auditLog,
  outbox,
  stockItems,
  stockMovements,
  stocktakes,
  tasks,
} from "../../src/db/schema/index.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { defineStockItem, recordStockMovement } from "../../src/domain/stock/changes.ts";
import { parseQuantity } from "../../src/domain/stock/quantity.ts";
import { closeStocktake, countStocktakeLine, startStocktake } from "../../src/domain/stocktake/sessions.ts";
import { completeTask } from "../../src/domain/tasks/changes.ts";
import { stocktakeMonthEndJob } from "../../src/jobs/stocktake-month-end.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage, sendWeComBotMessage } from "../helpers/e2e-harness.ts";

const TIMEZONE = "Asia/Shanghai";
const ALERT_GROUP = "oc_stock_alerts";
const area = useAreaTest({
  prefix: "stocktake",
  // Thursday 2026-11-26 10:00 in Shanghai, a working day.
  start: new Date("2026-11-26T02:00:00Z"),
  larkChat: "oc_store",
  larkSender: "ou_keeper",
  channels: ["lark", "dingtalk", "wecom", "wecomBot"],
});

/** A Shanghai wall-clock time ("2026-10-30T09:05") as an instant. */
const shanghai = (local: string): Date => new Date(`${local}:00+08:00`);

function actor(personId: number, at = area.h.clock.now()): Actor {
  return {
    personId,
    name: "fixture",
    roles: [],
    platform: "lark",
    platformMessageId: `fixture-${at.getTime()}`,
    at,
  };
}

const milli = (typed: string): bigint => parseQuantity(typed) as bigint;

/** Declares a material in a warehouse with `onHand` received. */
async function material(personId: number, sku: string, onHand: string, warehouse = "MAIN", at?: Date) {
  const who = actor(personId, at);
  await defineStockItem(
    area.database.db,
    who,
    { sku, name: sku.toLowerCase(), declaredDailyUse: milli("1"), warehouse },
    TIMEZONE,
  );
  if (milli(onHand) > 0n)
    await recordStockMovement(area.database.db, who, { sku, kind: "in", quantity: milli(onHand) }, TIMEZONE);
}

const onHand = async (sku: string) =>
  (await area.database.db.select().from(stockItems).where(eq(stockItems.sku, sku)))[0]?.onHand;

const sentKeys = async (prefix: string) =>
  (
    await area.database.db
      .select({ key: outbox.idempotencyKey, status: outbox.status })
      .from(outbox)
      .where(like(outbox.idempotencyKey, `${prefix}%`))
      .orderBy(asc(outbox.idempotencyKey))
  ).map((row) => `${row.key} ${row.status}`);

describe("/count on Lark", () => {
  it("counts at exactly 2 %: not above the limit, the ledger set to the count as adjustments", async () => {
    const keeper = await area.withRole("lark", "ou_keeper", "warehouse");
    await area.withRole("lark", "ou_boss", "manager");
    await material(keeper, "A1", "60");
    await material(keeper, "B2", "40");
    // A warehouse follows the unit on /stock item.
    await area.postLark("/stock item Z9 zed 1 pcs wh-b");
    expect(area.lastLark()).toContain("WH-B");
    await area.postLark("/stock in Z9 5");

    await area.postLark("/count start main");
    expect(area.lastLark()).toContain("S-20261126-001");
    expect(area.lastLark()).toContain("0 / 2");
    // The count freezes its materials, not the other warehouse's.
    await area.postLark("/stock out A1 1");
    expect(area.lastLark()).toContain("A1 is being counted (S-20261126-001)");
    await area.postLark("/stock out Z9 1");
    expect(await onHand("Z9")).toBe("4.000");
    expect(
      (await area.database.db.select().from(stockItems).where(eq(stockItems.sku, "Z9")))[0]?.warehouse,
    ).toBe("WH-B");

    await area.postLark("/count S-20261126-001 A1 59");
    await area.postLark("/count close S-20261126-001", { sender: "ou_boss" });
    expect(area.lastLark()).toContain("1 lines are not counted (B2)");
    await area.postLark("/count s-20261126-001 b2 41");
    // Only a manager or an admin closes (the close writes the books).
    await area.postLark("/count close S-20261126-001");
    expect(area.lastLark()).toMatch(/needs role/);
    await area.postLark("/count close S-20261126-001", { sender: "ou_boss" });
    expect(area.lastLark()).toContain("2% (2 / 100)");
    expect(area.lastLark()).toContain("within");

    expect([await onHand("A1"), await onHand("B2")]).toEqual(["59.000", "41.000"]);
    const adjustments = await area.database.db
      .select({ kind: stockMovements.kind, delta: stockMovements.delta })
      .from(stockMovements)
      .where(eq(stockMovements.kind, "adjustment"))
      .orderBy(asc(stockMovements.id));
    expect(adjustments).toEqual([
      { kind: "adjustment", delta: "-1.000" },
      { kind: "adjustment", delta: "1.000" },
    ]);
    expect(await area.database.db.select().from(tasks)).toHaveLength(0);
    const audited = await area.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityType, "stocktake"))
      .orderBy(asc(auditLog.id));
    expect(audited.map((row) => row.action)).toEqual([
      "stocktake.started",
      "stocktake.counted",
      "stocktake.counted",
      "stocktake.closed",
    ]);
    // Counted this month: movements run again.
    await area.postLark("/stock out A1 1");
    expect(await onHand("A1")).toBe("58.000");
  });

  it("above 2 % in exact decimals: recount tasks for the differing lines and one alert, cleared by the recounts", async () => {
    const keeper = await area.withRole("lark", "ou_keeper", "warehouse");
    await area.withRole("lark", "ou_boss", "manager");
    await area.subscribeLarkAlerts(ALERT_GROUP);
    // Thirds that floating point would not add up exactly: Σ book 100, Σ|difference| 2.001.
    await material(keeper, "P1", "33.333");
    await material(keeper, "P2", "33.333");
    await material(keeper, "P3", "33.334");
    await area.postLark("/count start MAIN");
    await area.postLark("/count S-20261126-001 P1 32.666");
    await area.postLark("/count S-20261126-001 P2 33.333");
    await area.postLark("/count S-20261126-001 P3 34.668");
    // Bad input names the mistake and the usage, and records nothing.
    await area.postLark("/count S-20261126-001 P2 1.2345");
    expect(area.lastLark()).toContain("counted must be a number, 0 or more, with at most 3 decimals: 1.2345");
    expect(area.lastLark()).toContain("usage: /count <stocktake-no> <sku> <counted>");
    await area.postLark("/count S-20261126-001 P2 many");
    expect(area.lastLark()).toContain("usage: /count <stocktake-no> <sku> <counted>");
    await area.postLark("/count S-20261126-001 Q7 1");
    expect(area.lastLark()).toContain("Q7 is not in stocktake S-20261126-001 (warehouse MAIN)");

    await area.postLark("/count close S-20261126-001", { sender: "ou_boss" });
    expect(area.lastLark()).toContain("2.001% (2.001 / 100)");
    expect(area.lastLark()).toContain("over: the alert groups are told");
    const [session] = await area.database.db.select().from(stocktakes);
    expect(session).toMatchObject({ bookTotal: "100.000", differenceTotal: "2.001", overLimit: true });
    // Recounts for P1 and P3, owned by who counted them, due the next working day.
    const recounts = await area.database.db.select().from(tasks).orderBy(asc(tasks.id));
    expect(recounts.map((task) => [task.sourceType, task.sourceId, task.dueDate, task.ownerId])).toEqual([
      ["stocktake", "S-20261126-001", "2026-11-27", keeper],
      ["stocktake", "S-20261126-001", "2026-11-27", keeper],
    ]);
    expect(recounts[0]?.title).toContain("Recount P1");
    expect(recounts[1]?.title).toContain("Recount P3");

    await area.sweep();
    await area.sweep();
    expect(await sentKeys("alert:stocktake:")).toEqual([
      `alert:stocktake:S-20261126-001:error:0:lark:${ALERT_GROUP} sent`,
    ]);
    const card = area.fakes.lark.delivered.find((delivery) =>
      JSON.stringify(delivery.body).includes("Stocktake error rate over the limit"),
    );
    expect(JSON.stringify(card?.body)).toContain("2.001 / 100");

    // The alert ends when the recounts are done.
    for (const task of recounts) await completeTask(area.database.db, actor(keeper), task.number);
    await area.sweep();
    const [alert] = await area.database.db.select().from(alerts).where(eq(alerts.kind, "stocktake"));
    expect(alert?.closedReason).toBe("cleared");
  });

  it("with nothing on the books: no difference is no error, any difference is over the limit", async () => {
    const keeper = await area.withRole("lark", "ou_keeper", "warehouse");
    await area.withRole("lark", "ou_boss", "manager");
    await material(keeper, "E1", "0", "EMPTY");
    await area.postLark("/count start EMPTY");
    await area.postLark("/count S-20261126-001 E1 0");
    await area.postLark("/count close S-20261126-001", { sender: "ou_boss" });
    expect(area.lastLark()).toContain("— (0 / 0)");
    expect(area.lastLark()).toContain("within");
    await area.postLark("/count start EMPTY");
    await area.postLark("/count S-20261126-002 E1 5");
    await area.postLark("/count close S-20261126-002", { sender: "ou_boss" });
    expect(area.lastLark()).toContain("— (5 / 0)");
    expect(area.lastLark()).toContain("over");
    expect(await area.database.db.select().from(tasks)).toHaveLength(1);
    // Unknown warehouses are refused.
    await area.postLark("/count start NOWHERE");
    expect(area.lastLark()).toContain("no material is kept in warehouse NOWHERE");
  });

  it("shows the stock error rate in /kpi, lower is better as a target", async () => {
    const keeper = await area.withRole("lark", "ou_keeper", "warehouse");
    await area.withRole("lark", "ou_boss", "manager");
    await material(keeper, "A1", "200");
    await area.postLark("/count start MAIN");
    await area.postLark("/count S-20261126-001 A1 197");
    await area.postLark("/count close S-20261126-001", { sender: "ou_boss" });
    await area.postLark("/target set stock_error_rate day 2%", { sender: "ou_boss" });
    await area.postLark("/kpi today");
    const kpi = area.lastLark();
    expect(kpi).toContain("Stocktake");
    expect(kpi).toContain("stock error rate: 1.5% (3/200)");
    expect(kpi).toMatch(/stock error rate[^"]*2%/);
  });
});

describe("/盘点 on DingTalk", () => {
  it("counts a warehouse in Chinese", async () => {
    const keeper = await area.withRole("dingtalk", "keeper4511", "warehouse");
    await area.withRole("dingtalk", "boss4511", "manager");
    await material(keeper, "A1", "10.5", "WH-A");
    const say = async (text: string, name: string, sender = "keeper4511") => {
      expect(
        await sendDingTalkMessage(area.h, area.fakes, text, area.messageId(name), { senderStaffId: sender }),
      ).toBe(200);
      return JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body);
    };
    expect(await say("/盘点 开始 WH-A", "start")).toContain("S-20261126-001");
    expect(await say("/盘点 S-20261126-001 A1 10.25", "count")).toContain("已记录 A1");
    const closed = await say("/盘点 结束 S-20261126-001", "close", "boss4511");
    expect(closed).toContain("2.381% (0.25 / 10.5)");
    expect(closed).toContain("超限");
    expect(await onHand("A1")).toBe("10.250");
  });
});

describe("/count on the WeCom app", () => {
  it("opens, counts and closes through message/send", async () => {
    const keeper = await area.withRole("wecom", "zhangsan", "manager");
    await material(keeper, "B2", "8");
    const say = async (text: string, name: string) => {
      expect(await sendWeComAppMessage(area.h, text, area.messageId(name))).toBe(200);
      return JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body);
    };
    expect(await say("/count start MAIN", "start")).toContain("S-20261126-001");
    await say("/count S-20261126-001 B2 8", "count");
    expect(await say("/count close S-20261126-001", "close")).toContain("0% (0 / 8)");
  });
});

describe("/count on the WeCom robot", () => {
  it("starts a count and lists the counts", async () => {
    const keeper = await area.withRole("wecom", "lisi", "warehouse");
    await material(keeper, "C3", "3");
    const say = async (text: string, name: string) => {
      expect(
        await sendWeComBotMessage(area.h, area.fakes, text, area.messageId(name), { userId: "lisi" }),
      ).toBe(200);
      return JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body);
    };
    expect(await say("/count start main", "start")).toContain("S-20261126-001");
    expect(await say("/count", "list")).toContain("open · 0/1 counted");
  });
});

describe("the stocktake-month-end job", () => {
  /** Runs the job as if its tick were at the Shanghai time `local`. */
  async function tick(local: string): Promise<string> {
    const at = shanghai(local);
    area.h.clock.set(at.toISOString());
    return stocktakeMonthEndJob.run(area.h.services.jobContext(at));
  }

  /** Two warehouses; MAIN counted (a count closed) at `countedAt`, WH-B never. */
  async function warehouses(countedAt: string): Promise<void> {
    const keeper = await area.withRole("lark", "ou_keeper", "warehouse");
    const at = shanghai(countedAt);
    await material(keeper, "A1", "10", "MAIN", at);
    await material(keeper, "Z9", "10", "WH-B", at);
    const count = await startStocktake(area.database.db, actor(keeper, at), "MAIN", TIMEZONE);
    await countStocktakeLine(area.database.db, actor(keeper, at), {
      number: count.number,
      sku: "A1",
      counted: milli("10"),
    });
    await closeStocktake(area.database.db, actor(keeper, at), count.number, { timezone: TIMEZONE });
    await area.subscribeLarkAlerts(ALERT_GROUP);
  }

  it("on a working day that ends the month (Fri 2026-10-30; the 31st is a Saturday): from 09:00, once", async () => {
    await warehouses("2026-10-12T10:00");
    expect(await tick("2026-10-29T17:00")).toContain("0 warehouses");
    expect(await tick("2026-10-30T08:55")).toContain("0 warehouses");
    expect(await tick("2026-10-30T09:05")).toContain(
      "1 warehouses not counted this month alerted (1 messages sent)",
    );
    expect(await tick("2026-10-30T09:10")).toContain("0 warehouses");
    expect(await sentKeys("alert:stocktake_due:")).toEqual([
      `alert:stocktake_due:WH-B:2026-10:missed:0:lark:${ALERT_GROUP} sent`,
    ]);
    const card = JSON.stringify(area.fakes.lark.delivered.at(-1)?.body);
    expect(card).toContain("Warehouse not counted this month");
    expect(card).toContain("2026-10-30");

    // Counting WH-B that day clears it at the next sweep.
    const keeper = await area.withRole("lark", "ou_keeper", "warehouse");
    const at = shanghai("2026-10-30T15:00");
    area.h.clock.set(at.toISOString());
    const count = await startStocktake(area.database.db, actor(keeper, at), "WH-B", TIMEZONE);
    await countStocktakeLine(area.database.db, actor(keeper, at), {
      number: count.number,
      sku: "Z9",
      counted: milli("10"),
    });
    await closeStocktake(area.database.db, actor(keeper, at), count.number, { timezone: TIMEZONE });
    await area.sweep();
    const [alert] = await area.database.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.kind, "stocktake_due"), eq(alerts.entity, "WH-B:2026-10")));
    expect(alert?.closedReason).toBe("cleared");
  });

  it("on a make-up Saturday that ends the month (Sat 2026-02-28), not on the Friday before", async () => {
    await warehouses("2026-02-10T10:00");
    expect(await tick("2026-02-27T16:00")).toContain("0 warehouses");
    expect(await tick("2026-02-28T09:05")).toContain(
      "1 warehouses not counted this month alerted (1 messages sent)",
    );
  });

  it("when the month ends on a weekend (Sun 2027-01-31): on Friday the 29th; a tick missed then is made up", async () => {
    await warehouses("2027-01-11T10:00");
    expect(await tick("2027-01-28T16:00")).toContain("0 warehouses");
    // Saturday: raised, its notice waits for the next working hours (Monday 1 February, 08:00).
    expect(await tick("2027-01-30T10:00")).toContain(
      "1 warehouses not counted this month alerted (0 messages sent)",
    );
    const [alert] = await area.database.db.select().from(alerts).where(eq(alerts.kind, "stocktake_due"));
    expect(alert?.entity).toBe("WH-B:2027-01");
    expect(alert?.notifyAt?.toISOString()).toBe(shanghai("2027-02-01T08:00").toISOString());
    expect(alert?.facts).toMatchObject({ lastWorkingDay: "2027-01-29", provisional: true });
  });

  it("when the month ends on a holiday (Spring Festival, Fri 2025-01-31): on Monday the 27th", async () => {
    await warehouses("2025-01-06T10:00");
    expect(await tick("2025-01-26T16:00")).toContain("0 warehouses");
    expect(await tick("2025-01-27T09:05")).toContain(
      "1 warehouses not counted this month alerted (1 messages sent)",
    );
  });
});
