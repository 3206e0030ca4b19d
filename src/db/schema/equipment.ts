// Equipment under scheduled maintenance: its service interval, last service, who owns its maintenance.
import { date, index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

export const equipment = pgTable(
  "equipment",
  {
    id: serial("id").primaryKey(),
    /** What users type: /equipment done <code>; stored upper-case. */
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    everyDays: integer("every_days").notNull(),
    /** Local date of the last service. */
    lastService: date("last_service", { mode: "string" }).notNull(),
    /** Who is given the service tasks: the @owner named when it was added, else whoever added it. */
    ownerId: integer("owner_id")
      .notNull()
      .references(() => people.id),
    /** The due date a service task was last created for (one task per due date). */
    scheduledDue: date("scheduled_due", { mode: "string" }),
    createdAt: timestamptz("created_at").notNull(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => people.id),
  },
  (t) => [index("equipment_last_service_idx").on(t.lastService)],
);
