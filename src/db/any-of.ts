// A list of values as one JSON parameter (works on postgres.js and PGlite alike), instead of one parameter each.
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

/**
 * `column` is one of `values`: a single bound parameter however long the list is. `= any(array(…))` is
 * computed once and used as an index condition, whatever the statistics say about the table.
 */
export const inJsonList = (column: SQLWrapper, values: readonly (string | number)[]): SQL =>
  typeof values[0] === "number"
    ? sql`${column} = any(array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)::int))`
    : sql`${column} = any(array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)))`;
