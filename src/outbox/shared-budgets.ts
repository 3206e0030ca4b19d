// Send budgets held in the database: every server and job on it spends from the same windows, many sends' claims in one statement.
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../db/database.ts";
import { sendBudgets } from "../db/schema/index.ts";
import type { BudgetRule } from "./rate-limiter.ts";

export interface SharedBudgets {
  /**
   * Spends one start at `at` (now or a little ahead) from every budget of a send, or from none. Resolves to
   * null when spent; else to when each full budget frees up (its key and a time after `at`): other senders
   * used it meanwhile. Claims made while a statement is under way go together in the next one: call it for
   * each send in the order of their starts, without waiting for the previous answer.
   */
  claim(rules: readonly BudgetRule[], at: number): Promise<Map<string, number> | null>;
}

interface Claim {
  rules: readonly BudgetRule[];
  at: number;
}

interface Verdict {
  seq: number;
  granted: boolean;
  /** Null for a send none of whose budgets has a row. */
  budget: string | null;
  free_at: number | string | null;
}

/** A claim's answer, or "missing": a budget of it has no row (cleared out meanwhile), to be written again. */
type Answer = Map<string, number> | null | "missing";

/** Keys known to have a row; a budget cleared out meanwhile shows as missing from the claim and is written again. */
const KNOWN_KEYS_KEPT = 10_000;
/** Sends claimed in one statement at most; more wait for the next. */
const CLAIMS_PER_STATEMENT = 100;

/**
 * A sliding window per budget, as the in-process limiter counts it: a start is allowed once the `count`-th
 * last start is a window old and the last one a spacing old. A statement locks the rows of every budget its
 * sends need, in key order (no deadlock between two statements sharing budgets), and checks each send's start
 * against the stored starts followed by the statement's own starts in time order; a send is granted only if
 * every one of its budgets allows it, and the granted starts are stored, later starts last.
 *
 * A refused send's start stays among those the later ones of the statement are checked against: without it
 * their windows would only hold fewer starts, so a grant is never wrong, at worst one too few. The statement's
 * starts must all come after the stored ones of a budget (else the order of the stored starts would break):
 * when another sender's start came in between, every start of the statement on that budget is refused.
 */
export function createSharedBudgets(db: Db): SharedBudgets {
  const known = new Set<string>();
  let waiting: (Claim & { settle(answer: Answer): void; fail(error: unknown): void })[] = [];
  let flushing = false;

  async function ensure(rules: readonly BudgetRule[]): Promise<void> {
    const missing = [...new Set(rules.filter((rule) => !known.has(rule.key)).map((rule) => rule.key))];
    if (missing.length === 0) return;
    await db.execute(sql`
      insert into ${sendBudgets} (budget)
        select jsonb_array_elements_text(${JSON.stringify(missing)}::jsonb) on conflict do nothing`);
    if (known.size > KNOWN_KEYS_KEPT) known.clear();
    for (const key of missing) known.add(key);
  }

  async function spend(claims: readonly Claim[]): Promise<Answer[]> {
    const wanted = JSON.stringify(
      claims.flatMap(({ rules, at }, seq) =>
        rules.map((rule) => ({
          seq,
          at,
          budget: rule.key,
          count: rule.count,
          window_ms: rule.windowMs,
          spacing_ms: rule.spacingMs,
        })),
      ),
    );
    const result = await db.execute(sql`
      with wanted as (
        select * from jsonb_to_recordset(${wanted}::jsonb)
          as w(seq int, at float8, budget text, count int, window_ms float8, spacing_ms float8)
      ), held as (
        select b.budget, b.starts from ${sendBudgets} b
          where b.budget in (select budget from wanted)
          order by b.budget
          for update of b
      ), planned as (
        select w.seq, w.at, w.budget, w.count, w.window_ms, w.spacing_ms, h.starts,
            cardinality(h.starts) as n,
            (row_number() over (partition by w.budget order by w.at, w.seq))::int as p,
            array_agg(w.at) over (partition by w.budget order by w.at, w.seq
              rows between unbounded preceding and unbounded following) as ats
          from wanted w join held h on h.budget = w.budget
      ), verdict as (
        select seq, at, budget, count, starts, free_at,
            free_at <= at and (n = 0 or ats[1] >= starts[n]) as ok
          from (select *, starts || ats as m from planned) merged,
            lateral (select greatest(at,
              case when n + p - 1 >= 1 then m[n + p - 1] + spacing_ms else 0 end,
              case when n + p - count >= 1 then m[n + p - count] + window_ms else 0 end,
              case when n >= 1 then starts[n] + spacing_ms else 0 end) as free_at) bound
      ), granted as (
        select w.seq, count(v.seq) = count(*) and coalesce(bool_and(v.ok), false) as ok
          from wanted w left join verdict v on v.seq = w.seq and v.budget = w.budget
          group by w.seq
      ), spent as (
        update ${sendBudgets} b
          set starts = (s.starts || s.ats)[greatest(1, cardinality(s.starts) + cardinality(s.ats) - s.count + 1):],
              last_start_at = to_timestamp(s.last / 1000)
          from (select v.budget, v.starts, max(v.count) as count, max(v.at) as last,
                  array_agg(v.at order by v.at, v.seq) as ats
                from verdict v join granted g on g.seq = v.seq
                where g.ok
                group by v.budget, v.starts) s
          where b.budget = s.budget
          returning b.budget
      )
      select g.seq, g.ok as granted, v.budget, v.free_at
        from granted g left join verdict v on v.seq = g.seq`);
    const answers: Answer[] = claims.map(() => new Map<string, number>());
    const budgetsSeen = claims.map(() => 0);
    for (const verdict of rowsOf<Verdict>(result)) {
      const seq = Number(verdict.seq);
      if (verdict.granted) {
        answers[seq] = null;
        continue;
      }
      const full = answers[seq];
      if (!(full instanceof Map) || verdict.budget === null) continue;
      budgetsSeen[seq] = (budgetsSeen[seq] ?? 0) + 1;
      const freeAt = Number(verdict.free_at);
      if (freeAt > (claims[seq]?.at ?? 0)) full.set(verdict.budget, freeAt);
    }
    return answers.map((answer, seq) =>
      answer !== null && budgetsSeen[seq] !== claims[seq]?.rules.length ? "missing" : answer,
    );
  }

  async function claimTogether(claims: readonly Claim[]): Promise<Answer[]> {
    await ensure(claims.flatMap((claim) => claim.rules));
    const answers = await spend(claims);
    const again = claims.filter((_, seq) => answers[seq] === "missing");
    if (again.length === 0) return answers;
    // A budget was cleared out since this process wrote it: write it again, and claim for those sends anew.
    for (const claim of again) for (const rule of claim.rules) known.delete(rule.key);
    await ensure(again.flatMap((claim) => claim.rules));
    const retried = await spend(again);
    let next = 0;
    return answers.map((answer) => (answer === "missing" ? (retried[next++] ?? "missing") : answer));
  }

  async function flush(): Promise<void> {
    flushing = true;
    // Claims made in the same turn (a scheduler planning several starts) go into the first statement too.
    await Promise.resolve();
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, CLAIMS_PER_STATEMENT);
        waiting = waiting.slice(batch.length);
        try {
          const answers = await claimTogether(batch);
          batch.forEach((claim, seq) => {
            claim.settle(answers[seq] === undefined ? "missing" : answers[seq]);
          });
        } catch (error) {
          for (const claim of batch) claim.fail(error);
        }
      }
    } finally {
      flushing = false;
    }
  }

  return {
    claim(rules, at) {
      return new Promise<Answer>((settle, fail) => {
        waiting.push({ rules, at, settle, fail });
        if (!flushing) void flush();
      }).then((answer) => (answer === "missing" ? new Map() : answer));
    },
  };
}
