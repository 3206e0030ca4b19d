// A migrated database for one test file: a fresh Postgres database when TEST_DATABASE_URL is set, else PGlite.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { MIGRATIONS_FOLDER } from "../../src/db/migrations-folder.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { openPostgres } from "../../src/db/postgres.ts";
import { need } from "./need.ts";

export interface TestDatabase extends Database {
  /** Connection string of the fresh database (Postgres only), for starting real servers against it. */
  readonly url?: string;
}

/** Opens and migrates a database private to the caller; close() also drops it. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const database = await openPglite(undefined, MIGRATIONS_FOLDER);
    await database.migrate();
    return database;
  }
  const name = `opsbot_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), { migrationsFolder: MIGRATIONS_FOLDER });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** Tables whose rows come from migrations (seed data), kept by truncateAll. */
const SEEDED_TABLES = ["inspection_areas", "inspection_items"];

/** Empties every table between tests of one file, keeping the schema and the tables seeded by migrations. */
export async function truncateAll(database: Database, keep: string[] = SEEDED_TABLES): Promise<void> {
  const { sql } = await import("drizzle-orm");
  const kept = keep.map((table) => `'${table}'`).join(", ") || "''";
  await database.db.execute(
    sql.raw(`do $$ declare tables text; begin
      select string_agg(format('%I', tablename), ', ') into tables
        from pg_tables where schemaname = 'public' and tablename not in (${kept});
      if tables is not null then execute 'truncate ' || tables || ' restart identity cascade'; end if;
    end $$`),
  );
}

/**
 * Registers a file's hooks: one database for the file, emptied before each test (before the file's own
 * `beforeEach`, which runs after this one). Returns a live accessor.
 */
export function useTestDatabase(): { readonly database: TestDatabase } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await truncateAll(need(database, "database"));
  });
  return {
    get database() {
      return need(database, "database");
    },
  };
}

/**
 * Puts the seeded areas and checklists back as the migration left them (truncateAll keeps those tables): for
 * files whose tests edit checklists. Run after truncateAll, when no record points at an item any more.
 */
export async function restoreSeededChecklists(db: Database["db"]): Promise<void> {
  const { sql } = await import("drizzle-orm");
  await db.execute(sql`delete from inspection_items where since_version > 1
    or area_id not in (select id from inspection_areas where code in ('warehouse', 'production', 'office'))`);
  await db.execute(sql`update inspection_items set until_version = null`);
  await db.execute(sql`delete from inspection_areas where code not in ('warehouse', 'production', 'office')`);
  await db.execute(
    sql`update inspection_areas set version = 1, active = true, cutoff = '10:00', kind = 'inspection'`,
  );
}
