// Document numbers like O-20261126-001: the business day in OPS_TIMEZONE and a per-day counter.
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { dailySequences } from "../db/schema/index.ts";
import { localDateOf } from "./calendar/local-time.ts";

export type NumberPrefix = "O" | "C" | "I" | "T" | "Q" | "E";

/**
 * The next number of the day. One upsert increments the counter atomically, so concurrent callers get
 * distinct numbers; a number is never handed out twice, even if its document is later cancelled.
 */
export async function nextNumber(db: Db, prefix: NumberPrefix, at: Date, timezone: string): Promise<string> {
  const day = localDateOf(at, timezone);
  const [row] = await db
    .insert(dailySequences)
    .values({ prefix, day, last: 1 })
    .onConflictDoUpdate({
      target: [dailySequences.prefix, dailySequences.day],
      set: { last: sql`${dailySequences.last} + 1` },
    })
    .returning({ last: dailySequences.last });
  const sequence = (row as { last: number }).last;
  return `${prefix}-${day.replaceAll("-", "")}-${String(sequence).padStart(3, "0")}`;
}
