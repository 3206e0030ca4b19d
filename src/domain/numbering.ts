// Document numbers like O-20261126-001: the business day in OPS_TIMEZONE and a per-day counter.
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { dailySequences } from "../db/schema/index.ts";
import { localDateOf } from "./calendar/local-time.ts";

export type NumberPrefix = "O" | "C" | "I" | "T" | "A" | "R" | "M" | "L" | "S" | "Q" | "E";

/**
 * The next number of the day. One upsert increments the counter atomically, so concurrent callers get
 * distinct numbers; a number is never handed out twice, even if its document is later cancelled.
 */
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
  const [row] = await db
    .insert(dailySequences)
    .values({ prefix, day, last: count })
    .onConflictDoUpdate({
      target: [dailySequences.prefix, dailySequences.day],
      set: { last: sql`${dailySequences.last} + ${count}` },
    })
    .returning({ last: dailySequences.last });
  const last = (row as { last: number }).last;
  const compact = day.replaceAll("-", "");
  return Array.from(
    { length: count },
    (_, n) => `${prefix}-${compact}-${String(last - count + 1 + n).padStart(3, "0")}`,
  );
}
