// The database handle every module receives: one drizzle instance over Postgres or embedded PGlite.
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema/index.ts";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  readonly db: Db;
  readonly mode: "postgres" | "pglite";
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Applies pending migrations from drizzle/, serialised across instances. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Advisory-lock key that serialises migrations across instances ("opsbot" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x6f7073626f74;

/** The rows of a raw `db.execute`: postgres.js answers an array of rows, PGlite an object holding them. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
