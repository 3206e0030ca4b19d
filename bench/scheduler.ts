// The scheduler benchmark: the digest's KPI queries (every section) and the overdue sweep on two years of seeded data.
import { and, inArray, like, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { alertNotice } from "../commands/alerts/cards.ts";
import type { Db } from "../src/db/database.ts";
import { MIGRATIONS_FOLDER } from "../src/db/migrations-folder.ts";
import { openPostgres } from "../src/db/postgres.ts";
import * as schema from "../src/db/schema/index.ts";
import { storeDueNotices } from "../src/domain/alerts/notices.ts";
import { alertCalendar, sweepOverdue } from "../src/domain/alerts/sweep.ts";
import { alertTiming } from "../src/domain/alerts/timing.ts";
import { computeDigest } from "../src/domain/digest/content.ts";
import { computeKpis } from "../src/domain/kpi/compute.ts";
import { monthToDateWindow, yesterdayWindow } from "../src/domain/kpi/window.ts";
import { createLogger } from "../src/log.ts";
import { createOutbox } from "../src/outbox/outbox.ts";
import { createLarkAdapter } from "../src/platforms/lark/adapter.ts";
import { startFakeLark } from "../test/fakes/lark.ts";
import { LARK_RATE_LIMITS } from "../test/fakes/rate-limits.ts";
import { createBenchDatabase } from "./bench-database.ts";
import { FAN_OUT_PLATFORMS, type FanOutResult, measureFanOut } from "./fan-out.ts";
import { type PlanSummary, renderSchedulerSection, type SchedulerRun } from "./report.ts";
import { writeResultsSection } from "./results-file.ts";

/** The fixed instant every number is computed at: Thursday 09:00 in Asia/Shanghai. */
const NOW = new Date("2026-11-26T01:00:00Z");
/** The next Monday 09:00, the first working day of the week: its digest adds the open high risks. */
const MONDAY = new Date("2026-11-30T01:00:00Z");
/** People the seeded tasks and risk plans are spread over. */
const PEOPLE = 50;
const TIMEZONE = "Asia/Shanghai";
const RUNS = 5;
const SWEEP_LARK = { appId: "cli_sweep", appSecret: "sweep-secret" };

/** Two years of history ending at NOW, with realistic status mixes; every statement is one generate_series. */
const SEED = `
insert into people (id, display_name, created_at)
  select g, case when g = 1 then 'Bench' else 'Person ' || g end, '2024-01-01T00:00:00Z'
  from generate_series(1, ${PEOPLE}) g;
insert into chats (platform, chat_id, kind, title, created_at, updated_at)
  select 'lark', 'oc_bench_' || g, 'group', 'Bench ' || g, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'
  from generate_series(1, 4) g;
insert into subscriptions (platform, chat_id, topic, send_at, language, created_by, created_at)
  select 'lark', 'oc_bench_' || g, t, case when t = 'digest' then '09:00' end,
         case when g % 2 = 0 then 'en' else 'zh' end, 1, '2024-01-01T00:00:00Z'
  from generate_series(1, 4) g cross join (values ('digest'), ('alerts')) as topics(t);
insert into inspection_areas (code, name_zh, name_en, cutoff, active)
  select 'area' || g, '区域' || g, 'Area ' || g, '10:00', g <= 10 from generate_series(1, 12) g;
insert into inspection_items (area_id, position, code, label_zh, label_en, kind)
  select g, 1, 'clean', '清洁', 'Clean', 'check' from generate_series(1, 12) g;

-- Orders: most completed, 2 % cancelled, 0.3 % confirmed and long overdue, a third of the last 10 days open.
insert into orders (number, customer, model, quantity, due_date, original_due_date, status, delay_count,
                    platform, chat_id, created_by, created_at, confirmed_at, completed_at, cancelled_at)
select 'O-' || lpad(i::text, 7, '0'), 'customer ' || (i % 500), 'model ' || (i % 40), 1 + i % 100,
       (c + interval '8 hours' + interval '7 days' + case when i % 50 = 7 then interval '3 days' else interval '0' end)::date,
       (c + interval '8 hours' + interval '7 days')::date,
       st, case when i % 50 = 7 then 1 else 0 end, 'lark', 'oc_bench_' || (1 + i % 4), 1, c,
       case when st <> 'cancelled' then c + interval '1 hour' end,
       case when st = 'completed' then c + (i % 10) * interval '1 day' + (i % 24) * interval '1 hour' end,
       case when st = 'cancelled' then c + interval '2 hours' end
from (
  select i, c,
         case when i % 1000 < 3 then 'confirmed'
              when i % 50 = 25 then 'cancelled'
              when c > timestamptz '${NOW.toISOString()}' - interval '10 days' and i % 3 = 0 then 'confirmed'
              else 'completed' end as st
  from (select i, timestamptz '${NOW.toISOString()}' - (1000001 - i) * interval '63.072 seconds' as c
        from generate_series(1, 1000000) i) s
) o;
update orders set completed_at = least(completed_at, timestamptz '${NOW.toISOString()}' - interval '1 minute')
  where completed_at > timestamptz '${NOW.toISOString()}';

-- Complaints: resolved except 0.5 % open and 0.5 % responded, and the last 3 days' younger ones.
insert into complaints (number, customer, description, status, received_at, response_due_at, resolution_due_at,
                        responded_at, resolved_at, satisfaction, rated_at, platform, chat_id, created_by)
select 'C-' || lpad(i::text, 7, '0'), 'customer ' || (i % 500), 'complaint ' || i, st, r,
       r + interval '24 hours', r + interval '4 days',
       case when st <> 'open' then r + (i % 30) * interval '1 hour' end,
       case when st = 'resolved' then r + (i % 5) * interval '1 day' + interval '2 hours' end,
       case when st = 'resolved' and i % 3 = 0 then 1 + (i % 5) end,
       case when st = 'resolved' and i % 3 = 0 then r + (i % 5) * interval '1 day' + interval '3 hours' end,
       'lark', 'oc_bench_' || (1 + i % 4), 1
from (
  select i, r,
         case when i % 1000 < 5 then 'open'
              when i % 1000 < 10 then 'responded'
              when r > timestamptz '${NOW.toISOString()}' - interval '5 days' and i % 2 = 0 then 'open'
              else 'resolved' end as st
  from (select i, timestamptz '${NOW.toISOString()}' - (200001 - i) * interval '315.36 seconds' as r
        from generate_series(1, 200000) i) s
) c;
update complaints set resolved_at = null, status = 'responded', satisfaction = null, rated_at = null
  where resolved_at > timestamptz '${NOW.toISOString()}';
update complaints set responded_at = null, status = 'open' where responded_at > timestamptz '${NOW.toISOString()}';

-- Inspections: one every ~10 minutes over two years, round-robin over the areas.
insert into inspections (number, area_id, submitted_by, submitted_at, finding_count, platform, chat_id)
select 'I-' || lpad(i::text, 7, '0'), 1 + i % 12, 1,
       timestamptz '${NOW.toISOString()}' - (100001 - i) * interval '630.72 seconds', case when i % 20 = 0 then 1 else 0 end,
       'lark', 'oc_bench_1'
from generate_series(1, 100000) i;
insert into findings (inspection_id, item_id, item_code, value, safety, created_at)
select id, area_id, 'clean', 'dirty', id % 100 = 0, submitted_at from inspections where finding_count = 1;

-- Tasks: one every ~10 minutes over two years, due a week after; done except 0.5 % long overdue and half of the
-- last 10 days'. A tenth come from equipment services and risk plans.
insert into tasks (number, title, owner_id, due_date, status, source_type, source_id, remind_at, done_at, done_by,
                   created_at, created_by)
select 'T-' || lpad(i::text, 7, '0'), 'task ' || i, 1 + i % ${PEOPLE}, (c + interval '8 hours' + interval '7 days')::date,
       st, case when i % 10 = 1 then 'equipment' when i % 10 = 2 then 'risk' else 'command' end,
       case when i % 10 = 2 then 'R-' || lpad((i % 2000)::text, 7, '0') else 'src ' || i end,
       case when st = 'open' and c > timestamptz '${NOW.toISOString()}' - interval '6 days' then c + interval '6 days' end,
       case when st = 'done' then c + (i % 7) * interval '1 day' end,
       case when st = 'done' then 1 + i % ${PEOPLE} end, c, 1
from (
  select i, c,
         case when i % 200 = 0 then 'open'
              when c > timestamptz '${NOW.toISOString()}' - interval '10 days' and i % 2 = 0 then 'open'
              else 'done' end as st
  from (select i, timestamptz '${NOW.toISOString()}' - (100001 - i) * interval '630.72 seconds' as c
        from generate_series(1, 100000) i) s
) t;
update tasks set done_at = timestamptz '${NOW.toISOString()}' - interval '1 minute'
  where done_at > timestamptz '${NOW.toISOString()}';

-- Stock: 5,000 materials, 2 % below their safety stock; 20 movements each over the last 30 days.
insert into stock_items (sku, name, unit, declared_daily_use, on_hand, low, low_episode, created_at, created_by)
select 'SKU-' || lpad(g::text, 5, '0'), 'material ' || g, 'kg', 10 + g % 90,
       case when g % 50 = 0 then 5 else 1000 + g % 500 end, g % 50 = 0, case when g % 50 = 0 then 1 else 0 end,
       '2024-01-01T00:00:00Z', 1
from generate_series(1, 5000) g;
insert into stock_movements (item_id, kind, quantity, delta, on_hand_after, at, person_id)
select g, case when m % 4 = 0 then 'in' else 'out' end, 10 + m,
       case when m % 4 = 0 then 10 + m else -(10 + m) end, 1000, 
       timestamptz '${NOW.toISOString()}' - (m * 36) * interval '1 hour', 1
from generate_series(1, 5000) g cross join generate_series(1, 20) m;

-- Risks: 2,000 over two years on every cell of the matrix; 80 % closed, half of the open ones planned with an owner.
insert into risks (number, description, likelihood, impact, status, plan, plan_owner_id, plan_due, raised_at,
                   raised_by, closed_at, closed_by)
select 'R-' || lpad(i::text, 7, '0'), 'risk ' || i, 1 + i % 5, 1 + (i / 5) % 5, st,
       case when st = 'open' and i % 2 = 0 then 'plan ' || i end,
       case when st = 'open' and i % 2 = 0 then 1 + i % ${PEOPLE} end,
       case when st = 'open' and i % 2 = 0 then (r + interval '30 days')::date end,
       r, 1, case when st = 'closed' then r + interval '20 days' end, case when st = 'closed' then 1 end
from (
  select i, r, case when i % 125 < 25 then 'open' else 'closed' end as st
  from (select i, timestamptz '${NOW.toISOString()}' - (2001 - i) * interval '31536 seconds' as r
        from generate_series(1, 2000) i) s
) k;

-- Quality sampling: a lot for every tenth order, made a day after it, sampled twice; decided two days after it
-- (2 % rejected), except 1 % still open; 5 % never reached the required sample.
insert into lots (number, order_id, size, required_sample, sampled, defects, sample_met_at, status, decided_at,
                  decided_by, created_at, created_by)
select 'L-' || lpad(i::text, 7, '0'), o.id, 500, 50, case when i % 20 = 0 then 30 else 50 end, i % 3,
       case when i % 20 <> 0 then o.created_at + interval '1 day' end,
       st, case when st <> 'open' then o.created_at + interval '2 days' end, case when st <> 'open' then 1 end,
       o.created_at + interval '1 day', 1
from (
  select i, case when i % 100 = 0 then 'open' when i % 50 = 1 then 'rejected' else 'released' end as st
  from generate_series(1, 100000) i
) l join orders o on o.id = l.i * 10;
update lots set decided_at = null, decided_by = null, status = 'open'
  where decided_at > timestamptz '${NOW.toISOString()}';
update lots set sample_met_at = null where sample_met_at > timestamptz '${NOW.toISOString()}';
insert into lot_samples (lot_id, sampled, defects, at, person_id)
select id, 25, defects / 2 + k - 1, created_at + k * interval '2 hours', 1
from lots cross join generate_series(1, 2) k;

-- Sales log: 200,000 entries over two years, 3 leads (a third converted, a third closed), 4 feedbacks and
-- 3 follow-ups in ten; customers are the orders' 500.
insert into sales_entries (kind, number, customer, customer_key, text, status, settled_at, settled_by, at,
                           created_by, platform, chat_id)
select kind, case when kind = 'lead' then 'Q-' || lpad(i::text, 7, '0') end, 'customer ' || (i % 500),
       'customer ' || (i % 500), kind || ' ' || i,
       case when kind = 'lead' then (case i % 3 when 0 then 'converted' when 1 then 'closed' else 'open' end) end,
       case when kind = 'lead' and i % 3 < 2 then a + interval '3 days' end,
       case when kind = 'lead' and i % 3 < 2 then 1 end,
       a, 1, 'lark', 'oc_bench_' || (1 + i % 4)
from (
  select i, timestamptz '${NOW.toISOString()}' - (200001 - i) * interval '315.36 seconds' as a,
         case when i % 10 < 3 then 'lead' when i % 10 < 7 then 'feedback' else 'followup' end as kind
  from generate_series(1, 200000) i
) e;
update sales_entries set settled_at = null, settled_by = null, status = 'open'
  where settled_at > timestamptz '${NOW.toISOString()}';

-- Stocktakes: 2,000 closed counts over two years across 20 warehouses, 50 lines each.
insert into stocktakes (number, warehouse, status, started_at, started_by, closed_at, closed_by, closed_on,
                        book_total, difference_total, over_limit)
select 'S-' || lpad(i::text, 7, '0'), 'WH' || (i % 20), 'closed', s, 1, s + interval '2 hours', 1,
       (s + interval '2 hours' + interval '8 hours')::date, 50000 + i % 1000, (i % 40) * 1.5, i % 40 > 35
from (select i, timestamptz '${NOW.toISOString()}' - (2001 - i) * interval '31536 seconds' as s
      from generate_series(1, 2000) i) t;
insert into stocktake_lines (stocktake_id, item_id, book, counted, counted_at, counted_by)
select t.id, 1 + (t.id * 50 + l) % 5000, 1000, 1000 - (l % 3), t.started_at + interval '1 hour', 1
from stocktakes t cross join generate_series(1, 50) l;

-- Finance: a reconciliation for every day of the two years, 20,000 expenses (1 % pending, 5 % rejected).
insert into reconciliations (day, income, expense, recorded_at, recorded_by)
select d::date, 100000 + g * 3 % 5000, 80000 + g * 7 % 5000, d + interval '18 hours', 1
from generate_series(1, 730) g,
     lateral (select (timestamptz '${NOW.toISOString()}' + interval '8 hours')::date - g as d) days;
insert into expenses (number, amount, reason, status, requested_at, requested_by, sign_due_at, platform, chat_id,
                      chat_kind, decided_at, decided_by, reject_reason)
select 'E-' || lpad(i::text, 7, '0'), 50 + i % 5000, 'expense ' || i, st, r, 1 + i % ${PEOPLE},
       r + interval '1 day', 'lark', 'oc_bench_1', 'group',
       case when st <> 'pending' then r + interval '5 hours' end, case when st <> 'pending' then 1 end,
       case when st = 'rejected' then 'no receipt' end
from (
  select i, r, case when i % 100 = 0 then 'pending' when i % 20 = 1 then 'rejected' else 'signed' end as st
  from (select i, timestamptz '${NOW.toISOString()}' - (20001 - i) * interval '3153.6 seconds' as r
        from generate_series(1, 20000) i) s
) x;

-- Targets: every metric for every period, for the company and four departments.
insert into targets (metric, period, department, value, owner_name, set_by, set_at)
select metric, period, department, case when unit = 'count' then 20 else 0.9 end, 'Person 2', 1,
       '2024-01-01T00:00:00Z'
from (values ('orders_completed', 'count'), ('on_time_completion', 'rate'), ('csat', 'rate'),
             ('first_response_on_time', 'rate'), ('resolution_on_time', 'rate'), ('inspections_done', 'rate'),
             ('sampling_coverage', 'rate'), ('lot_pass_rate', 'rate'), ('enquiries', 'count'),
             ('conversion', 'rate'), ('feedback', 'count'), ('callback_rate', 'rate'),
             ('stock_error_rate', 'rate')) as metrics(metric, unit)
cross join (values ('day'), ('week'), ('month')) as periods(period)
cross join (values (''), ('QC'), ('Sales'), ('Warehouse'), ('Production')) as departments(department);
analyze;
`;

interface Timing {
  median: number;
  max: number;
  runs: number[];
}

async function time(label: string, task: () => Promise<unknown>): Promise<Timing> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await task();
    runs.push(performance.now() - started);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const timing = {
    median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    max: sorted.at(-1) ?? 0,
    runs,
  };
  console.log(`bench: ${label}: median ${timing.median.toFixed(1)} ms, max ${timing.max.toFixed(1)} ms`);
  return timing;
}

/** The tables the first sweep and its catch-up fill: the alerts, their notices' outbox rows and the recheck marks. */
const SWEEP_WRITTEN_TABLES = ["alerts", "outbox", "alert_rechecks"];

async function vacuumAnalyze(url: string, tables: string[]): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(`vacuum analyze ${tables.map((table) => `"${table}"`).join(", ")}`);
  } finally {
    await client.end({ timeout: 5 });
  }
}

interface Captured {
  query: string;
  params: unknown[];
}

/** The tables the seed makes big: a query reading one is explained. */
const BIG_TABLES =
  "orders|complaints|inspections|tasks|stock_items|stock_movements|risks|lots|lot_samples|sales_entries|stocktakes|stocktake_lines|reconciliations|expenses";
const SCANNED_TABLES = new RegExp(`\\b(${BIG_TABLES})\\b`);
const SEQ_SCAN = new RegExp(`Seq Scan on (${BIG_TABLES})\\b`, "g");

/**
 * The exact SQL the code sends: one more run of each task on a client that records its statements, then
 * EXPLAIN of every SELECT reading one of the big tables, with the same parameters.
 */
async function explainQueries(url: string, label: string, task: (db: Db) => Promise<unknown>) {
  const captured: Captured[] = [];
  const client = postgres(url, {
    max: 1,
    onnotice: () => {},
    debug: (_connection, query, params) => captured.push({ query, params: [...params] }),
  });
  const plans: PlanSummary[] = [];
  try {
    await task(drizzle(client, { schema }) as unknown as Db);
    const seen = new Set<string>();
    for (const { query, params } of captured) {
      if (!/^\s*\(?\s*select/i.test(query) || !SCANNED_TABLES.test(query) || seen.has(query)) continue;
      seen.add(query);
      const rows = await client.unsafe(
        `explain (format text) ${query}`,
        params as postgres.ParameterOrJSON<never>[],
      );
      const plan = rows.map((row) => String(row["QUERY PLAN"])).join("\n");
      const from = /\bfrom\s+"?(\w+)"?/i.exec(query)?.[1] ?? "?";
      plans.push({
        label,
        table: from,
        seqScans: [...new Set([...plan.matchAll(SEQ_SCAN)].map((match) => match[1] ?? ""))],
        plan,
      });
    }
  } finally {
    await client.end({ timeout: 5 });
  }
  return plans;
}

/** Seeds a fresh database, times the digest's KPIs, the sweep and the digest fan-out, and writes its own block of RESULTS.md. */
export async function runSchedulerBench(adminUrl: string, resultsPath: string): Promise<void> {
  const database = await createBenchDatabase(adminUrl);
  const store = openPostgres(database.url, { migrationsFolder: MIGRATIONS_FOLDER });
  // The alert groups are Lark chats: the notices go to a fake Lark that holds them to Lark's limits, on the
  // real clock (the outbox paces by it; the domain computes at NOW).
  const fakeLark = await startFakeLark({ ...SWEEP_LARK, rateLimits: LARK_RATE_LIMITS });
  try {
    console.log(`bench: scheduler on ${database.name}; migrating and seeding`);
    await store.migrate();
    const seeder = postgres(database.url, { max: 1, onnotice: () => {} });
    const seedStarted = performance.now();
    try {
      await seeder.unsafe(SEED);
      await seeder.unsafe(`select setval('people_id_seq', ${PEOPLE})`);
      // As autovacuum leaves a settled table: index-only scans need the visibility map.
      await seeder.unsafe("vacuum analyze");
    } finally {
      await seeder.end({ timeout: 5 });
    }
    const seedMs = performance.now() - seedStarted;
    console.log(`bench: seeded in ${(seedMs / 1000).toFixed(1)} s`);

    const { db } = store;
    const calendar = await alertCalendar(db, TIMEZONE);
    const log = createLogger({ write: () => {}, now: () => NOW });
    const lark = createLarkAdapter({
      config: { ...SWEEP_LARK, verificationToken: "sweep-token", apiBase: fakeLark.url },
      now: () => new Date(),
    });
    const outbox = createOutbox({ database: store, adapters: { lark }, now: () => new Date(), log });
    const kpis = (target: Db, window: "yesterday" | "month") =>
      computeKpis(target, {
        window: window === "yesterday" ? yesterdayWindow(NOW, TIMEZONE) : monthToDateWindow(NOW, TIMEZONE),
        timezone: TIMEZONE,
        now: NOW,
        calendar,
      });

    const yesterday = await time("computeKpis yesterday", () => kpis(db, "yesterday"));
    const monthToDate = await time("computeKpis month to date", () => kpis(db, "month"));
    const digest = await time("computeDigest", () =>
      computeDigest(db, { now: NOW, timezone: TIMEZONE, calendar }),
    );
    const weeklyDigest = await time("computeDigest on Monday (with the high risks)", () =>
      computeDigest(db, { now: MONDAY, timezone: TIMEZONE, calendar }),
    );
    const sweepRuns: number[] = [];
    const firstStarted = performance.now();
    const first = await sweepOverdue({ db, outbox, timezone: TIMEZONE, draw: alertNotice }, NOW);
    const firstMs = performance.now() - firstStarted;
    console.log(
      `bench: first sweep ${firstMs.toFixed(1)} ms, ${first.raised} raised, ${first.notices} notices`,
    );
    const sentAtOnce = await first.sending;
    const sendingMs = performance.now() - firstStarted - firstMs;
    const [stored] = await db
      .select({
        rows: sql<number>`count(*)::int`,
        open: sql<number>`count(*) filter (where status in ('pending', 'sending'))::int`,
      })
      .from(schema.outbox)
      .where(like(schema.outbox.idempotencyKey, "alert:%"));
    const firstSends = {
      rows: stored?.rows ?? 0,
      sent: sentAtOnce.sent,
      sendingMs,
      left: stored?.open ?? 0,
      delivered: fakeLark.delivered.length,
      rateLimited: fakeLark.requests.filter((request) => request.rateLimited).length,
    };
    console.log(
      `bench: then ${firstSends.sent} notices sent at once in ${sendingMs.toFixed(0)} ms (${firstSends.rateLimited} rate-limited at the fake), ${firstSends.left} left to the drain`,
    );
    // The rest would take Lark a minute per 1,000 (its app cap); the bench stops here, so that the fan-out's
    // drain loop below does not send them.
    await db
      .delete(schema.outbox)
      .where(
        and(
          like(schema.outbox.idempotencyKey, "alert:%"),
          inArray(schema.outbox.status, ["pending", "sending"]),
        ),
      );
    // The other notices stay due in the alerts table; the sweeps of the next minutes store them a share at a time
    // as the drain empties the outbox. The bench stores them at the same instant, emptying the outbox after each
    // share, until every alert's first notice is stored: the steady state the sweep below is timed in.
    const catchUpStarted = performance.now();
    const catchUp = { rounds: 0, notices: first.notices, ms: 0 };
    const timing = alertTiming(calendar);
    for (;;) {
      const stored = await storeDueNotices(
        { db, outbox, timezone: TIMEZONE, timing, draw: alertNotice },
        NOW,
      );
      await db.delete(schema.outbox).where(like(schema.outbox.idempotencyKey, "alert:%"));
      if (stored.notices === 0) break;
      catchUp.rounds += 1;
      catchUp.notices += stored.notices;
    }
    catchUp.ms = performance.now() - catchUpStarted;
    console.log(
      `bench: the other notices stored in ${catchUp.rounds} more rounds, ${catchUp.notices} in all`,
    );
    // The first sweep and its catch-up wrote every alert row twice over: autovacuum (at its default threshold of
    // 1,000 inserted rows and one-minute naptime) would have vacuumed and analyzed these tables before the sweeps of
    // the following minutes. This bench server runs with autovacuum off, so the bench does what it would.
    await vacuumAnalyze(database.url, SWEEP_WRITTEN_TABLES);
    const sweep = await time("sweepOverdue (alerts already raised)", async () => {
      const summary = await sweepOverdue({ db, outbox, timezone: TIMEZONE, draw: alertNotice }, NOW);
      sweepRuns.push(summary.raised);
    });
    const kpisAgain = await kpis(db, "month");

    const plans = [
      ...(await explainQueries(database.url, "computeKpis yesterday", (d) => kpis(d, "yesterday"))),
      ...(await explainQueries(database.url, "computeKpis month to date", (d) => kpis(d, "month"))),
      ...(await explainQueries(database.url, "computeDigest on Monday", (d) =>
        computeDigest(d, { now: MONDAY, timezone: TIMEZONE, calendar }),
      )),
      ...(await explainQueries(database.url, "sweepOverdue", (d) =>
        sweepOverdue({ db: d, outbox, timezone: TIMEZONE, draw: alertNotice }, NOW),
      )),
    ];
    const fanOut: FanOutResult[] = [];
    for (const platform of FAN_OUT_PLATFORMS) {
      const result = await measureFanOut(platform, store, NOW, TIMEZONE);
      console.log(
        `bench: digest fan-out to ${result.groups} ${result.platform} groups: ${result.delivered} delivered in ${result.measuredMs} ms (minimum ${result.minimumMs} ms), ${result.rateLimited} rate-limited, ${result.otherErrors} other errors`,
      );
      fanOut.push(result);
    }
    const counter = postgres(database.url, { max: 1, onnotice: () => {} });
    const [counts] = await counter<Record<string, number>[]>`
      select (select count(*) from orders)::int as orders,
             (select count(*) from complaints)::int as complaints,
             (select count(*) from inspections)::int as inspections,
             (select count(*) from tasks)::int as tasks,
             (select count(*) from stock_items)::int as stock_items,
             (select count(*) from stock_movements)::int as stock_movements,
             (select count(*) from risks)::int as risks,
             (select count(*) from lots)::int as lots,
             (select count(*) from lot_samples)::int as lot_samples,
             (select count(*) from sales_entries)::int as sales_entries,
             (select count(*) from stocktakes)::int as stocktakes,
             (select count(*) from stocktake_lines)::int as stocktake_lines,
             (select count(*) from reconciliations)::int as reconciliations,
             (select count(*) from expenses)::int as expenses,
             (select count(*) from targets)::int as targets,
             (select count(*) from orders where status = 'confirmed')::int as open_orders,
             (select count(*) from complaints where status <> 'resolved')::int as open_complaints,
             (select count(*) from tasks where status = 'open')::int as open_tasks,
             (select count(*) from risks where status = 'open' and score >= 15)::int as open_high_risks`;
    await counter.end({ timeout: 5 });
    const run: SchedulerRun = {
      date: new Date().toISOString(),
      now: NOW.toISOString(),
      timezone: TIMEZONE,
      postgres: await database.serverVersion(),
      seedMs,
      rows: counts ?? {},
      kpis: { yesterday, monthToDate, digest, weeklyDigest },
      kpiSample: {
        received: kpisAgain.orders.received,
        overdue: kpisAgain.orders.overdue,
        complaintsOpened: kpisAgain.complaints.opened,
      },
      sweep: { firstMs, first, firstSends, catchUp, later: sweep, raisedLater: sweepRuns },
      plans,
      fanOut,
    };
    const section = renderSchedulerSection(run);
    writeResultsSection(resultsPath, "scheduler", section);
    console.log(`bench: wrote the scheduler section of ${resultsPath}`);
  } finally {
    await fakeLark.close();
    await store.close();
    await database.drop();
  }
}
