// Document numbers like O-20261126-001: the business day in OPS_TIMEZONE and a per-day counter.
import { type SQL, sql } from "drizzle-orm";
import { type Db, rowsOf } from "../db/database.ts";
import { dailySequences } from "../db/schema/index.ts";
import { type LocalDate, localDateOf } from "./calendar/local-time.ts";

export type NumberPrefix = "O" | "C" | "I" | "T" | "A" | "R" | "M" | "L" | "S" | "Q" | "E";

/** Counters below 1,000 get three digits: O-20261126-001; later ones as many as they need. */
const DIGITS = 3;

/**
 * The upsert that takes `count` numbers of the day: one statement increments the counter atomically, so
 * concurrent callers get distinct numbers; a number is never handed out twice, even if its document is later
 * cancelled. It returns `last`, the last number taken.
 */
function take(prefix: NumberPrefix, count: number, day: string): SQL {
  return sql`insert into ${dailySequences} (prefix, day, last) values (${prefix}, ${day}, ${count})
    on conflict (prefix, day) do update set last = ${dailySequences}.last + ${count}
    returning last`;
}

/** The document number of counter value `counter` (an integer expression), e.g. O-20261126-001. */
function formatted(prefix: NumberPrefix, day: string, counter: SQL): SQL {
  const head = `${prefix}-${day.replaceAll("-", "")}-`;
  return sql`(${head}::text || lpad(${counter}::text, greatest(${DIGITS}, length(${counter}::text)), '0'))`;
}

/** For a statement that writes a document together with its number: the CTE taking it, and the number over it. */
export interface NumberInStatement {
  /** `<cte> as (…)`: one row. */
  taking: SQL;
  /** The CTE's name, to select from. */
  source: SQL;
  /** The number, an expression over the row of `source`. */
  number: SQL;
}

/** The next number of the business day `day`, taken inside a larger statement under the CTE name `cte`. */
export function numberInStatement(prefix: NumberPrefix, day: LocalDate, cte: string): NumberInStatement {
  const name = sql.identifier(cte);
  return {
    taking: sql`${name} as (${take(prefix, 1, day)})`,
    source: sql`${name}`,
    number: formatted(prefix, day, sql`${name}.last`),
  };
}

/** The next number of the day. */
export async function nextNumber(db: Db, prefix: NumberPrefix, at: Date, timezone: string): Promise<string> {
  const [number] = await nextNumbers(db, prefix, 1, at, timezone);
  return number as string;
}

/** `count` consecutive numbers of the day in one upsert (for documents raised in bulk, such as alerts). */
export async function nextNumbers(
  db: Db,
  prefix: NumberPrefix,
  count: number,
  at: Date,
  timezone: string,
): Promise<string[]> {
  if (count <= 0) return [];
  const day = localDateOf(at, timezone);
  const result = await db.execute(sql`
    with taken as (${take(prefix, count, day)})
    select ${formatted(prefix, day, sql`n`)} as number
      from taken, generate_series(taken.last - ${count}::int + 1, taken.last) as n
      order by n`);
  return rowsOf<{ number: string }>(result).map((row) => row.number);
}
