// The production-schedule benchmark: /schedule's work (read the lines and open orders, plan, draw the card) with
// 10,000 open orders on 20 lines beside 200,000 completed ones; target under 100 ms.

import { availableParallelism, loadavg } from "node:os";
import postgres from "postgres";
import { scheduleCard } from "../commands/orders/schedule-cards.ts";
import { MIGRATIONS_FOLDER } from "../src/db/migrations-folder.ts";
import { openPostgres } from "../src/db/postgres.ts";
import { createWorkingCalendar } from "../src/domain/calendar/working-calendar.ts";
import { loadSchedule } from "../src/domain/orders/index.ts";
import { planSchedule } from "../src/domain/orders/schedule.ts";
import { openOrders } from "../src/domain/orders/schedule-repository.ts";
import { createBenchDatabase } from "./bench-database.ts";
import { writeResultsSection } from "./results-file.ts";
import { commitLabel } from "./run-header.ts";
import { summarize } from "./stats.ts";

/** Thursday 2026-11-26 08:00 in Asia/Shanghai, when the morning push plans the day. */
const NOW = new Date("2026-11-26T00:00:00Z");
const TIMEZONE = "Asia/Shanghai";
const RUNS = 20;
const TARGET_MS = 100;
const OPEN_ORDERS = 10_000;
const LINES = 20;
const COMPLETED_ORDERS = 200_000;

/** Lines of 2,050–3,000 units a day; open orders spread over them, a fifth high and a fifth low, due over 60 days. */
const SEED = `
insert into people (id, display_name, created_at) values (1, 'Bench', '2024-01-01T00:00:00Z');
insert into production_lines (name, key, capacity, created_by, created_at, updated_by, updated_at)
  select 'L' || g, 'l' || g, 2000 + g * 50, 1, '2024-01-01T00:00:00Z', 1, '2024-01-01T00:00:00Z'
  from generate_series(1, ${LINES}) g;
insert into orders (number, customer, model, quantity, due_date, original_due_date, status, platform, chat_id,
                    created_by, created_at, confirmed_at, completed_at, priority, line_id)
select 'O-' || lpad(i::text, 7, '0'), 'customer ' || (i % 500), 'model ' || (i % 40), 1 + i % 500,
       d, d, st, 'lark', 'oc_bench', 1, c, c + interval '1 hour',
       case when st = 'completed' then c + interval '3 days' end,
       case when i % 10 < 2 then 'high' when i % 10 >= 8 then 'low' else 'normal' end,
       1 + i % ${LINES}
from (
  select i,
         case when i > ${COMPLETED_ORDERS} then 'confirmed' else 'completed' end as st,
         timestamptz '${NOW.toISOString()}' - (${COMPLETED_ORDERS + OPEN_ORDERS + 1} - i) * interval '5 minutes' as c,
         (timestamptz '${NOW.toISOString()}' + interval '8 hours' + (i % 60) * interval '1 day')::date as d
  from generate_series(1, ${COMPLETED_ORDERS + OPEN_ORDERS}) i
) o;
`;

/** Wall-clock and this process's CPU milliseconds of each run. */
interface Runs {
  wall: number[];
  cpu: number[];
}

async function timed(label: string, task: () => Promise<unknown> | unknown): Promise<Runs> {
  const runs: Runs = { wall: [], cpu: [] };
  for (let i = 0; i < RUNS; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await task();
    runs.wall.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    runs.cpu.push((used.user + used.system) / 1000);
  }
  const wall = summarize(runs.wall);
  console.log(
    `bench: ${label}: median ${wall.p50.toFixed(1)} ms, max ${wall.max.toFixed(1)} ms, CPU median ${summarize(runs.cpu).p50.toFixed(1)} ms`,
  );
  return runs;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

function row(label: string, runs: Runs): string {
  const wall = summarize(runs.wall);
  const verdict = wall.max < TARGET_MS ? "✓" : wall.p50 < TARGET_MS ? "median ✓, max ✗" : "✗";
  return `| ${label} | ${ms(wall.p50)} | ${ms(wall.max)} | ${ms(summarize(runs.cpu).p50)} | ${verdict} |`;
}

/** Seeds a fresh database, times /schedule's work, and writes the schedule section of RESULTS.md. */
export async function runScheduleBench(adminUrl: string, resultsPath: string): Promise<void> {
  const database = await createBenchDatabase(adminUrl);
  const store = openPostgres(database.url, { migrationsFolder: MIGRATIONS_FOLDER });
  try {
    console.log(`bench: schedule on ${database.name}; migrating and seeding`);
    await store.migrate();
    const seeder = postgres(database.url, { max: 1, onnotice: () => {} });
    let plan = "";
    try {
      await seeder.unsafe(SEED);
      await seeder.unsafe("vacuum analyze");
      const explained = await seeder.unsafe(
        `explain (analyze, buffers, costs off, timing off) select number, line_id, priority, due_date, quantity
           from orders where status = 'confirmed'`,
      );
      plan = explained.map((line) => String(line["QUERY PLAN"])).join("\n");
    } finally {
      await seeder.end({ timeout: 5 });
    }
    const { db } = store;
    const query = { now: NOW, timezone: TIMEZONE };
    const first = performance.now();
    const schedule = await loadSchedule(db, query);
    const firstMs = performance.now() - first;
    const late = schedule.lines.reduce((sum, line) => sum + line.late.length, 0);
    const queued = schedule.lines.reduce((sum, line) => sum + line.queued, 0);
    console.log(
      `bench: first /schedule ${ms(firstMs)}: ${queued} queued on ${schedule.lines.length} lines, ${late} late`,
    );

    const whole = await timed("/schedule (read, plan, draw the card)", async () =>
      scheduleCard(await loadSchedule(db, query), "zh"),
    );
    const read = await timed("loadSchedule (read and plan)", () => loadSchedule(db, query));
    // The planning alone, on the orders as read: what the queue walk costs without the database.
    const calendar = createWorkingCalendar({ timezone: TIMEZONE });
    const lines = schedule.lines.map((plan) => plan.line);
    const open = await openOrders(db);
    const planning = await timed("planSchedule (in memory)", () =>
      planSchedule({ lines, orders: open, today: schedule.day, day: schedule.day, calendar }),
    );

    const section = [
      "## Production schedule",
      "",
      "Written by `BENCH_ONLY=schedule npm run bench` (bench/schedule.ts).",
      "",
      `- **Run**: ${new Date().toISOString()} at commit ${commitLabel()}, Postgres ${await database.serverVersion()}, the plan of ${schedule.day} at ${NOW.toISOString()} (${TIMEZONE}); ${RUNS} runs each after one first run of ${ms(firstMs)}. Load average ${loadavg()[0]?.toFixed(1)} at the end of the run on ${availableParallelism()} cores: wall-clock times vary with load, the CPU time this process spent is steadier (Postgres's side of the read is in the plan below).`,
      `- **Data**: ${OPEN_ORDERS.toLocaleString("en")} confirmed orders on ${LINES} lines (2,050–3,000 units a day; a fifth high, a fifth low; due within 60 days) beside ${COMPLETED_ORDERS.toLocaleString("en")} completed ones. ${queued} queued, ${late} flagged late.`,
      `- **Target**: /schedule under ${TARGET_MS} ms.`,
      "",
      "| measured | median | max | Node CPU, median | under target (wall clock) |",
      "|---|---|---|---|---|",
      row("/schedule: read lines and open orders, plan, draw the card", whole),
      row("loadSchedule: read and plan", read),
      row("planSchedule alone (in memory)", planning),
      "",
      "The open-order read (`EXPLAIN ANALYZE`):",
      "",
      "```",
      plan,
      "```",
    ].join("\n");
    writeResultsSection(resultsPath, "schedule", section);
    console.log(`bench: wrote the schedule section of ${resultsPath}`);
  } finally {
    await store.close();
    await database.drop();
  }
}
