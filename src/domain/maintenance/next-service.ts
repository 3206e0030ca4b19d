// The next service's due date of equipment in SQL (last service + interval), for the schedule and the sweep.
import { sql } from "drizzle-orm";
import { equipment } from "../../db/schema/index.ts";

export const nextServiceSql = sql<string>`(${equipment.lastService} + ${equipment.everyDays})`;
