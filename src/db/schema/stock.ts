// Stock: materials with their declared daily use and quantity on hand, and the ledger of every movement.
import { sql } from "drizzle-orm";
import { boolean, index, integer, numeric, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

/** Quantities are exact decimals with three places, read and written as strings (no floating point). */
const quantity = (name: string) => numeric(name, { precision: 18, scale: 3, mode: "string" });

export const stockItems = pgTable(
  "stock_items",
  {
    id: serial("id").primaryKey(),
    /** What users type: /stock in <sku> <qty>; stored upper-case. */
    sku: text("sku").notNull().unique(),
    name: text("name").notNull(),
    unit: text("unit"),
    /** Where it is kept: each warehouse is counted every month. Materials declared without one are in MAIN. */
    warehouse: text("warehouse").notNull().default("MAIN"),
    declaredDailyUse: quantity("declared_daily_use").notNull(),
    onHand: quantity("on_hand").notNull().default("0"),
    /** Below its safety stock since the last movement. */
    low: boolean("low").notNull().default(false),
    /** How many times it fell below: each drop is a new alert subject ("<sku>#<n>"). */
    lowEpisode: integer("low_episode").notNull().default(0),
    createdAt: timestamptz("created_at").notNull(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => people.id),
  },
  (t) => [index("stock_items_low_idx").on(t.id).where(sql`low`)],
);

export const stockMovements = pgTable(
  "stock_movements",
  {
    id: serial("id").primaryKey(),
    itemId: integer("item_id")
      .notNull()
      .references(() => stockItems.id),
    /** "in" | "out" | "set" | "adjustment" (a stocktake's close: the book set to what was counted). */
    kind: text("kind").notNull(),
    /** As typed: received, issued, or the counted quantity of a set. */
    quantity: quantity("quantity").notNull(),
    /** The change of the quantity on hand it made (negative for out, either sign for set). */
    delta: quantity("delta").notNull(),
    onHandAfter: quantity("on_hand_after").notNull(),
    at: timestamptz("at").notNull(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
  },
  (t) => [index("stock_movements_item_at_idx").on(t.itemId, t.at)],
);
