// Stocktakes: a count of one warehouse, with each material's book quantity at the start and what was counted.
import { sql } from "drizzle-orm";
import {
  boolean,
  date,
  index,
  integer,
  numeric,
  pgTable,
  serial,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";
import { stockItems } from "./stock.ts";

/** Quantities as the stock ledger keeps them: exact decimals with three places, as strings. */
const quantity = (name: string) => numeric(name, { precision: 18, scale: 3, mode: "string" });

export const stocktakes = pgTable(
  "stocktakes",
  {
    id: serial("id").primaryKey(),
    /** S-YYYYMMDD-NNN, the day in OPS_TIMEZONE. */
    number: text("number").notNull().unique(),
    /** The warehouse counted, as materials name it (upper-case). */
    warehouse: text("warehouse").notNull(),
    /** open → closed. */
    status: text("status").notNull().default("open"),
    startedAt: timestamptz("started_at").notNull(),
    startedBy: integer("started_by")
      .notNull()
      .references(() => people.id),
    closedAt: timestamptz("closed_at"),
    closedBy: integer("closed_by").references(() => people.id),
    /** The local day it was closed: the month it counts the warehouse for. */
    closedOn: date("closed_on", { mode: "string" }),
    /** Σ book and Σ |counted − book| at the close, for the error rate and its metric. */
    bookTotal: quantity("book_total"),
    differenceTotal: quantity("difference_total"),
    /** The error rate was above STOCK_ERROR_LIMIT_PERCENT: alerted, and the differing lines recounted. */
    overLimit: boolean("over_limit").notNull().default(false),
  },
  (t) => [
    // One count of a warehouse at a time.
    uniqueIndex("stocktakes_open_warehouse_idx").on(t.warehouse).where(sql`status = 'open'`),
    index("stocktakes_closed_idx").on(t.closedAt),
    index("stocktakes_warehouse_closed_on_idx").on(t.warehouse, t.closedOn),
  ],
);

export const stocktakeLines = pgTable(
  "stocktake_lines",
  {
    id: serial("id").primaryKey(),
    stocktakeId: integer("stocktake_id")
      .notNull()
      .references(() => stocktakes.id),
    itemId: integer("item_id")
      .notNull()
      .references(() => stockItems.id),
    /** The ledger's quantity on hand when the count started. */
    book: quantity("book").notNull(),
    /** Null until counted; a second count of the line replaces the first. */
    counted: quantity("counted"),
    countedAt: timestamptz("counted_at"),
    countedBy: integer("counted_by").references(() => people.id),
  },
  (t) => [
    uniqueIndex("stocktake_lines_session_item_idx").on(t.stocktakeId, t.itemId),
    // A stock movement looks up whether its material is being counted.
    index("stocktake_lines_item_idx").on(t.itemId),
  ],
);
