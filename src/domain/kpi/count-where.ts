// The pieces the KPI counts are built from: a count of the rows meeting a condition, as one column of an aggregate
// query (FILTER), and "this instant lies in the window".
import { and, gte, lt, type Param, type SQL, type SQLWrapper, sql } from "drizzle-orm";

export const countWhere = (condition: SQL | undefined) =>
  sql<number>`count(*) filter (where ${condition})`.mapWith(Number);

/** Bounds as instants, or as parameters with their encoder where the column is computed and has none. */
interface Bounds {
  start: Date | Param;
  end: Date | Param;
}

export const within = (column: SQLWrapper, { start, end }: Bounds) =>
  and(gte(column, start), lt(column, end));
