// Drizzle schema of the roster: per day and post, the people needed and the people assigned.
import { date, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

export const rosterPosts = pgTable(
  "roster_posts",
  {
    day: date("day", { mode: "string" }).notNull(),
    /** Free text as typed ("packing", "QC"). */
    post: text("post").notNull(),
    /** People the post needs, before the spare; 0 until someone sets it. */
    need: integer("need").notNull(),
    /** Display names of the people assigned, as mentioned. */
    assigned: jsonb("assigned").$type<string[]>().notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.post] })],
);
