// Every table's row count and content digest, to prove that a run wrote nothing (or changed nothing that matters).
import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/database.ts";

export interface TableState {
  rows: number;
  /** md5 of the rows' text, in a stable order: equal digests, equal contents. */
  digest: string;
}

/**
 * The state of each table of the public schema, except `except`. Leaving out the outbox leaves out the send
 * budgets too: a reply's send spends them; leaving out people or identities leaves out the directory's
 * version, which a new sender moves on.
 */
export async function tableStates(
  database: Database,
  excepted: readonly string[] = [],
): Promise<Record<string, TableState>> {
  const except = [
    ...excepted,
    ...(excepted.includes("outbox") ? ["send_budgets"] : []),
    ...(excepted.includes("people") || excepted.includes("identities") ? ["directory_version"] : []),
  ];
  const listed = await database.db.execute(
    sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
  );
  const tables = rowsOf<{ tablename: string }>(listed)
    .map((row) => row.tablename)
    .filter((table) => !except.includes(table));
  const query = tables
    .map(
      (table) =>
        `select '${table}' as "table", count(*)::int as rows, ` +
        `md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${table}" t`,
    )
    .join(" union all ");
  const states = await database.db.execute(sql.raw(query));
  return Object.fromEntries(
    rowsOf<{ table: string } & TableState>(states).map(({ table, rows, digest }) => [
      table,
      { rows, digest },
    ]),
  );
}

/** Rows added or removed per table between two states, for the tables whose content changed. */
export function tableChanges(
  before: Record<string, TableState>,
  after: Record<string, TableState>,
): Record<string, number> {
  const changed = Object.keys(after).filter((table) => before[table]?.digest !== after[table]?.digest);
  // A row updated in place changes the digest but not the count: it still counts as one row written.
  return Object.fromEntries(
    changed.map((table) => [
      table,
      Math.max(1, Math.abs((after[table]?.rows ?? 0) - (before[table]?.rows ?? 0))),
    ]),
  );
}

/** postgres.js returns the rows as the result; PGlite wraps them in `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
