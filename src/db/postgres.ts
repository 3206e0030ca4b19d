// Postgres through postgres.js: the production store, also used on Workers through Hyperdrive.
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { type Database, type Db, MIGRATION_LOCK_KEY } from "./database.ts";
import { preparingEveryStatement } from "./prepared-statements.ts";
import * as schema from "./schema/index.ts";

export interface PostgresOptions {
  /** Pool size; Workers want a small one per request. */
  max?: number;
  /** Where drizzle's generated SQL lives; only needed for migrate(). */
  migrationsFolder?: string;
}

export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Hyperdrive and the pooled production setups don't need type discovery, and it costs a round trip.
    fetch_types: false,
  });
  const db = drizzle(preparingEveryStatement(client), { schema }) as unknown as Db;
  return {
    db,
    mode: "postgres",
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    migrate: async () => {
      const folder = options.migrationsFolder;
      if (!folder) throw new Error("no migrations folder configured");
      const { migrate } = await import("drizzle-orm/postgres-js/migrator");
      // A session-level advisory lock on a one-connection client: a second instance starting at the same
      // moment waits here, then finds nothing left to apply.
      const single = postgres(url, { max: 1, onnotice: () => {}, fetch_types: false });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migrate(drizzle(single, { schema }), { migrationsFolder: folder });
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}
