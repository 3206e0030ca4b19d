// A fresh Postgres database per bench run (dropped at the end), and what the bench reads from it.
import { randomBytes } from "node:crypto";
import postgres from "postgres";

export interface InboxCounts {
  total: number;
  /** Pending or processing: work the server acked but has not finished. */
  open: number;
  done: number;
  dead: number;
}

export interface DatabaseActivity {
  /** Committed transactions; every statement outside a transaction is one round trip's worth. */
  commits: number;
  inserted: number;
  updated: number;
}

export interface BenchDatabase {
  readonly url: string;
  readonly name: string;
  serverVersion(): Promise<string>;
  /** For experiments only; servers connecting afterwards get this setting. */
  setSynchronousCommit(value: string): Promise<void>;
  inboxCounts(): Promise<InboxCounts>;
  /**
   * Waits until the server has finished every event it acked, or `timeoutMs` passed; returns how long that took
   * and how many events are still open.
   */
  settle(timeoutMs: number): Promise<{ ms: number; open: number }>;
  /**
   * VACUUM ANALYZE of the whole database, what autovacuum does on a server that runs it (this bench server
   * runs with it off).
   */
  vacuumAnalyze(): Promise<void>;
  /** Deletes the rows waiting in the outbox (not those a sender holds); returns how many. */
  dropWaiting(): Promise<number>;
  /** Rows still waiting in the outbox (replies over the platform's send limit go there). */
  outboxWaiting(): Promise<number>;
  /** Cumulative counters of this database (pg_stat_database; flushed by backends within about a second). */
  activity(): Promise<DatabaseActivity>;
  drop(): Promise<void>;
}

export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `opsbot_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const database: BenchDatabase = {
    url: url.toString(),
    name,
    async serverVersion() {
      const [row] = await sql<{ server_version: string }[]>`show server_version`;
      return row?.server_version ?? "unknown";
    },
    async setSynchronousCommit(value) {
      await admin.unsafe(
        `alter database "${name}" set synchronous_commit = ${value === "off" ? "off" : "on"}`,
      );
    },
    async inboxCounts() {
      const [row] = await sql<InboxCounts[]>`
        select count(*)::int as total,
               count(*) filter (where status in ('pending', 'processing'))::int as open,
               count(*) filter (where status = 'done')::int as done,
               count(*) filter (where status = 'dead')::int as dead
        from inbox`;
      return row ?? { total: 0, open: 0, done: 0, dead: 0 };
    },
    async settle(timeoutMs) {
      const started = performance.now();
      for (;;) {
        const { open } = await database.inboxCounts();
        const ms = performance.now() - started;
        if (open === 0 || ms > timeoutMs) return { ms, open };
        await new Promise<void>((resolve) => setTimeout(resolve, 100));
      }
    },
    async vacuumAnalyze() {
      await sql.unsafe("vacuum analyze");
    },
    async dropWaiting() {
      const dropped = await sql`delete from outbox where status = 'pending'`;
      return dropped.count;
    },
    async outboxWaiting() {
      const [row] = await sql<{ waiting: number }[]>`
        select count(*)::int as waiting from outbox where status in ('pending', 'sending')`;
      return row?.waiting ?? 0;
    },
    async activity() {
      const [row] = await sql<DatabaseActivity[]>`
        select xact_commit::float8 as commits, tup_inserted::float8 as inserted, tup_updated::float8 as updated
        from pg_stat_database where datname = current_database()`;
      return row ?? { commits: 0, inserted: 0, updated: 0 };
    },
    async drop() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
  return database;
}
