// Production lines: each line's capacity in units per working day, which the production schedule fills.
import { integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

export const productionLines = pgTable("production_lines", {
  id: serial("id").primaryKey(),
  /** As last typed (NFKC, trimmed): what cards show, and the roster post whose people work the line. */
  name: text("name").notNull(),
  /** The name folded for look-ups (lower case): "Line-A" and "line-a" are one line. */
  key: text("key").notNull().unique(),
  /** Units the line makes on one working day. */
  capacity: integer("capacity").notNull(),
  createdBy: integer("created_by")
    .notNull()
    .references(() => people.id),
  createdAt: timestamptz("created_at").notNull(),
  updatedBy: integer("updated_by")
    .notNull()
    .references(() => people.id),
  updatedAt: timestamptz("updated_at").notNull(),
});
