// Send budgets held in the database: every server and job on it spends from the same windows, claimed in one statement.
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../db/database.ts";
import { sendBudgets } from "../db/schema/index.ts";
import type { BudgetRule } from "./rate-limiter.ts";

export interface SharedBudgets {
  /**
   * Spends one start at `at` from every budget of a send, or from none. Resolves to null when spent; else to
   * when each full budget frees up (its key and a time after `at`): other senders used it meanwhile.
   */
  claim(rules: readonly BudgetRule[], at: number): Promise<Map<string, number> | null>;
}

interface Verdict {
  budget: string;
  free_at: number | string;
  granted: boolean;
}

/** Keys known to have a row; a budget cleared out meanwhile shows as missing from the claim and is written again. */
const KNOWN_KEYS_KEPT = 10_000;

/**
 * A sliding window per budget, as the in-process limiter counts it: a start is allowed once the `count`-th
 * last start is a window old and the last one a spacing old. The rows are locked in key order (no deadlock
 * between two claims sharing budgets), checked together and updated only if every one allows the start.
 */
export function createSharedBudgets(db: Db): SharedBudgets {
  const known = new Set<string>();
  /**
   * One claim at a time from this process, in the order of their starts: a later start written first would
   * refuse the earlier one (its spacing), for nothing.
   */
  let previous: Promise<unknown> = Promise.resolve();

  async function ensure(rules: readonly BudgetRule[]): Promise<void> {
    const missing = rules.filter((rule) => !known.has(rule.key));
    if (missing.length === 0) return;
    const keys = JSON.stringify(missing.map((rule) => rule.key));
    await db.execute(sql`
      insert into ${sendBudgets} (budget)
        select jsonb_array_elements_text(${keys}::jsonb) on conflict do nothing`);
    if (known.size > KNOWN_KEYS_KEPT) known.clear();
    for (const rule of missing) known.add(rule.key);
  }

  async function spend(rules: readonly BudgetRule[], at: number): Promise<Verdict[]> {
    const wanted = JSON.stringify(
      rules.map((rule) => ({
        budget: rule.key,
        count: rule.count,
        window_ms: rule.windowMs,
        spacing_ms: rule.spacingMs,
      })),
    );
    const result = await db.execute(sql`
      with wanted as (
        select * from jsonb_to_recordset(${wanted}::jsonb)
          as w(budget text, count int, window_ms float8, spacing_ms float8)
      ), held as (
        select b.budget, b.starts, w.count, w.window_ms, w.spacing_ms
          from ${sendBudgets} b join wanted w on w.budget = b.budget
          order by b.budget
          for update of b
      ), verdict as (
        select budget, starts, count, greatest(
            ${at}::float8,
            case when cardinality(starts) >= count
              then starts[cardinality(starts) - count + 1] + window_ms else 0 end,
            coalesce(starts[cardinality(starts)] + spacing_ms, 0)) as free_at
          from held
      ), granted as (
        select coalesce(bool_and(free_at <= ${at}::float8), false) and count(*) = ${rules.length} as ok
          from verdict
      ), spent as (
        update ${sendBudgets} b
          set starts = (v.starts || ${at}::float8)[greatest(1, cardinality(v.starts) + 2 - v.count):],
              last_start_at = to_timestamp(${at}::float8 / 1000)
          from verdict v, granted g
          where b.budget = v.budget and g.ok
          returning b.budget
      )
      select v.budget, v.free_at, g.ok as granted from verdict v, granted g`);
    return rowsOf<Verdict>(result);
  }

  async function claimInOrder(rules: readonly BudgetRule[], at: number): Promise<Map<string, number> | null> {
    await ensure(rules);
    let verdicts = await spend(rules, at);
    if (verdicts.length < rules.length) {
      // A budget was cleared out since this process wrote it: write it again.
      for (const rule of rules) known.delete(rule.key);
      await ensure(rules);
      verdicts = await spend(rules, at);
    }
    if (verdicts.length === rules.length && verdicts.every((verdict) => verdict.granted)) return null;
    const full = new Map<string, number>();
    for (const verdict of verdicts)
      if (Number(verdict.free_at) > at) full.set(verdict.budget, Number(verdict.free_at));
    return full;
  }

  return {
    claim(rules, at) {
      const claimed = previous.then(() => claimInOrder(rules, at));
      previous = claimed.catch(() => undefined);
      return claimed;
    },
  };
}
