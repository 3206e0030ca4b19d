// Stocktakes: open a count of a warehouse with the book quantities, record counted lines, close it: the error
// rate, the ledger set to what was counted (adjustments), and recount tasks when the rate is above the limit.
import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { stockItems, stocktakeLines, stocktakes } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { type LocalDate, localDateOf } from "../calendar/local-time.ts";
import { loadCalendarOverrides } from "../calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../calendar/working-calendar.ts";
import { nextNumber } from "../numbering.ts";
import { percentText } from "../percent.ts";
import { RECOUNT_WORKING_DAYS } from "../policy.ts";
import { adjustToCount, normaliseSku, normaliseWarehouse } from "../stock/changes.ts";
import { formatQuantity, fromStored, type Milli } from "../stock/quantity.ts";
import { createTask } from "../tasks/changes.ts";
import { tasksOfSource } from "../tasks/store.ts";
import { errorRateOf, RATE_DECIMALS } from "./error-rate.ts";
import { StocktakeRefused } from "./refusal.ts";

export interface StocktakeLine {
  sku: string;
  name: string;
  unit: string | null;
  book: Milli;
  counted: Milli | null;
}

export interface Stocktake {
  number: string;
  warehouse: string;
  status: "open" | "closed";
  lines: StocktakeLine[];
  /** Set once closed. */
  result?: {
    bookTotal: Milli;
    differenceTotal: Milli;
    /** "1.5%", or "—" with nothing on the books. */
    rate: string;
    overLimit: boolean;
    recountTasks: string[];
  };
}

type SessionRow = typeof stocktakes.$inferSelect;

/** How many uncounted SKUs a refused close names; the total is given beside them. */
const UNCOUNTED_NAMED = 10;

const normaliseNumber = (typed: string): string => typed.normalize("NFKC").trim().toUpperCase();

/** The tasks of a stocktake's recounts name it as their source. */
const recountSource = (number: string) => ({ type: "stocktake", id: number });

async function linesOf(db: Db, sessionId: number) {
  return db
    .select({
      itemId: stocktakeLines.itemId,
      sku: stockItems.sku,
      name: stockItems.name,
      unit: stockItems.unit,
      book: stocktakeLines.book,
      counted: stocktakeLines.counted,
      countedBy: stocktakeLines.countedBy,
    })
    .from(stocktakeLines)
    .innerJoin(stockItems, eq(stockItems.id, stocktakeLines.itemId))
    .where(eq(stocktakeLines.stocktakeId, sessionId))
    .orderBy(asc(stockItems.sku));
}

async function viewOf(db: Db, session: SessionRow): Promise<Stocktake> {
  const lines = (await linesOf(db, session.id)).map((line) => ({
    sku: line.sku,
    name: line.name,
    unit: line.unit,
    book: fromStored(line.book),
    counted: line.counted === null ? null : fromStored(line.counted),
  }));
  const view: Stocktake = {
    number: session.number,
    warehouse: session.warehouse,
    status: session.status as Stocktake["status"],
    lines,
  };
  if (session.status !== "closed" || session.bookTotal === null || session.differenceTotal === null)
    return view;
  const bookTotal = fromStored(session.bookTotal);
  const differenceTotal = fromStored(session.differenceTotal);
  const tasks = await tasksOfSource(db, recountSource(session.number));
  return {
    ...view,
    result: {
      bookTotal,
      differenceTotal,
      rate: percentText(differenceTotal, bookTotal, RATE_DECIMALS),
      overLimit: session.overLimit,
      recountTasks: tasks.map((task) => task.number),
    },
  };
}

async function lockedSession(tx: Db, typed: string): Promise<SessionRow> {
  const number = normaliseNumber(typed);
  const [session] = await tx.select().from(stocktakes).where(eq(stocktakes.number, number)).for("update");
  if (!session) throw new StocktakeRefused({ kind: "unknown_stocktake", number });
  if (session.status !== "open") throw new StocktakeRefused({ kind: "closed", number });
  return session;
}

export async function findStocktake(db: Db, typed: string): Promise<Stocktake | undefined> {
  const [session] = await db
    .select()
    .from(stocktakes)
    .where(eq(stocktakes.number, normaliseNumber(typed)));
  return session && viewOf(db, session);
}

/** The open counts, then the last closed ones. */
export async function listStocktakes(db: Db, { limit }: { limit: number }): Promise<Stocktake[]> {
  const [open, closed] = await Promise.all([
    db
      .select()
      .from(stocktakes)
      .where(eq(stocktakes.status, "open"))
      .orderBy(asc(stocktakes.id))
      .limit(limit),
    db
      .select()
      .from(stocktakes)
      .where(eq(stocktakes.status, "closed"))
      .orderBy(desc(stocktakes.closedAt))
      .limit(limit),
  ]);
  return Promise.all([...open, ...closed].slice(0, limit).map((session) => viewOf(db, session)));
}

/**
 * Opens a count of a warehouse: one line per material kept there, with its quantity on hand as the book. The
 * materials are locked while the lines are written, and from then on their movements wait for the close.
 */
export async function startStocktake(
  db: Db,
  actor: Actor,
  typedWarehouse: string,
  timezone: string,
): Promise<Stocktake> {
  const warehouse = normaliseWarehouse(typedWarehouse);
  const session = await db.transaction(async (tx) => {
    const items = await tx
      .select()
      .from(stockItems)
      .where(eq(stockItems.warehouse, warehouse))
      .orderBy(asc(stockItems.sku))
      .for("update");
    if (items.length === 0) throw new StocktakeRefused({ kind: "unknown_warehouse", warehouse });
    const [open] = await tx
      .select({ number: stocktakes.number })
      .from(stocktakes)
      .where(and(eq(stocktakes.warehouse, warehouse), eq(stocktakes.status, "open")));
    if (open) throw new StocktakeRefused({ kind: "already_open", warehouse, number: open.number });
    const number = await nextNumber(tx, "S", actor.at, timezone);
    const [row] = await tx
      .insert(stocktakes)
      .values({ number, warehouse, startedAt: actor.at, startedBy: actor.personId })
      .returning();
    const started = row as SessionRow;
    await tx
      .insert(stocktakeLines)
      .values(items.map((item) => ({ stocktakeId: started.id, itemId: item.id, book: item.onHand })));
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "stocktake",
      entityId: number,
      action: "stocktake.started",
      after: { warehouse, book: Object.fromEntries(items.map((item) => [item.sku, item.onHand])) },
    });
    return started;
  });
  return viewOf(db, session);
}

/** Records the counted quantity of one material of an open count; counting it again replaces the number. */
export async function countStocktakeLine(
  db: Db,
  actor: Actor,
  input: { number: string; sku: string; counted: Milli },
): Promise<{ stocktake: Stocktake; line: StocktakeLine }> {
  const sku = normaliseSku(input.sku);
  const session = await db.transaction(async (tx) => {
    const session = await lockedSession(tx, input.number);
    const [line] = await tx
      .select({ id: stocktakeLines.id, book: stocktakeLines.book, counted: stocktakeLines.counted })
      .from(stocktakeLines)
      .innerJoin(stockItems, eq(stockItems.id, stocktakeLines.itemId))
      .where(and(eq(stocktakeLines.stocktakeId, session.id), eq(stockItems.sku, sku)));
    if (!line)
      throw new StocktakeRefused({
        kind: "not_in_stocktake",
        number: session.number,
        sku,
        warehouse: session.warehouse,
      });
    const counted = formatQuantity(input.counted);
    await tx
      .update(stocktakeLines)
      .set({ counted, countedAt: actor.at, countedBy: actor.personId })
      .where(eq(stocktakeLines.id, line.id));
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "stocktake",
      entityId: session.number,
      action: "stocktake.counted",
      before: { sku, counted: line.counted },
      after: { sku, counted, book: line.book },
    });
    return session;
  });
  const stocktake = await viewOf(db, session);
  const line = stocktake.lines.find((candidate) => candidate.sku === sku) as StocktakeLine;
  return { stocktake, line };
}

/** The due date of a recount: RECOUNT_WORKING_DAYS working days after `today`, on the working calendar. */
async function recountDue(db: Db, today: LocalDate, timezone: string): Promise<LocalDate> {
  const calendar = createWorkingCalendar({ timezone, overrides: await loadCalendarOverrides(db) });
  let day = today;
  for (let step = 0; step < RECOUNT_WORKING_DAYS; step++) day = calendar.nextWorkingDay(day).day;
  return day;
}

/**
 * Closes a count once every line is counted: the error rate Σ|counted − book| ÷ Σ book in exact decimals, the
 * ledger set to the counted quantities (an "adjustment" movement for each line that differs), and when the rate
 * is above STOCK_ERROR_LIMIT_PERCENT a recount task for whoever counted each differing line; the sweep alerts it.
 */
export async function closeStocktake(
  db: Db,
  actor: Actor,
  typedNumber: string,
  options: { timezone: string; chat?: { platform: string; chatId: string } | undefined },
): Promise<Stocktake> {
  const { timezone } = options;
  const session = await db.transaction(async (tx) => {
    const session = await lockedSession(tx, typedNumber);
    const lines = await linesOf(tx, session.id);
    const uncounted = lines.filter((line) => line.counted === null).map((line) => line.sku);
    if (uncounted.length > 0)
      throw new StocktakeRefused({
        kind: "uncounted",
        number: session.number,
        skus: uncounted.slice(0, UNCOUNTED_NAMED),
        total: uncounted.length,
      });
    const counted = lines.map((line) => ({
      ...line,
      bookQuantity: fromStored(line.book),
      countedQuantity: fromStored(line.counted as string),
    }));
    const rate = errorRateOf(
      counted.map((line) => ({ book: line.bookQuantity, counted: line.countedQuantity })),
    );
    const differing = counted.filter((line) => line.countedQuantity !== line.bookQuantity);
    for (const line of differing) await adjustToCount(tx, actor, line.itemId, line.countedQuantity, timezone);
    const today = localDateOf(actor.at, timezone);
    const [closed] = await tx
      .update(stocktakes)
      .set({
        status: "closed",
        closedAt: actor.at,
        closedBy: actor.personId,
        closedOn: today,
        bookTotal: formatQuantity(rate.bookTotal),
        differenceTotal: formatQuantity(rate.differenceTotal),
        overLimit: rate.overLimit,
      })
      .where(eq(stocktakes.id, session.id))
      .returning();
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "stocktake",
      entityId: session.number,
      action: "stocktake.closed",
      before: { status: "open" },
      after: {
        status: "closed",
        bookTotal: formatQuantity(rate.bookTotal),
        differenceTotal: formatQuantity(rate.differenceTotal),
        errorRate: percentText(rate.differenceTotal, rate.bookTotal, RATE_DECIMALS),
        overLimit: rate.overLimit,
        adjusted: differing.map((line) => line.sku),
      },
    });
    if (rate.overLimit) {
      const due = await recountDue(tx, today, timezone);
      for (const line of differing)
        await createTask(tx, actor, {
          title:
            `Recount ${line.sku} ${line.name} in ${session.warehouse} (${session.number}): book ${formatQuantity(line.bookQuantity)}, counted ${formatQuantity(line.countedQuantity)}` +
            ` / 复盘 ${line.sku} ${line.name} (${session.warehouse}, ${session.number}): 账面 ${formatQuantity(line.bookQuantity)}, 实盘 ${formatQuantity(line.countedQuantity)}`,
          ownerPersonId: line.countedBy ?? actor.personId,
          due,
          source: recountSource(session.number),
          chat: options.chat,
          timezone,
        });
    }
    return closed as SessionRow;
  });
  return viewOf(db, session);
}
