// Migrations from drizzle/: applied on an empty database, and two instances starting at once do not race.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { pgView, text } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/database.ts";
import { MIGRATIONS_FOLDER } from "../../src/db/migrations-folder.ts";
import { openPostgres } from "../../src/db/postgres.ts";
import { openTestDatabase } from "../helpers/database.ts";

const adminUrl = process.env.TEST_DATABASE_URL;

/** The catalogue view, as a drizzle table, so the query reads the same on both drivers. */
const pgTables = pgView("pg_tables", {
  tablename: text("tablename"),
  schemaname: text("schemaname"),
}).existing();

const SHARED_TABLES = [
  "audit_log",
  "calendar_overrides",
  "chats",
  "identities",
  "inbox",
  "job_runs",
  "outbox",
  "people",
  "person_roles",
  "subscriptions",
];

describe("migrations", () => {
  it("create every shared table, and a second run changes nothing", async () => {
    const database = await openTestDatabase();
    try {
      await database.migrate();
      const rows = await database.db.select({ name: pgTables.tablename }).from(pgTables);
      expect(rows.map((row) => row.name)).toEqual(expect.arrayContaining(SHARED_TABLES));
      // A send budget's starts, rewritten at every send, are kept out of line without compression.
      const [storage] = rowsOf<{ storage: string }>(
        await database.db.execute(sql`select attstorage as storage from pg_attribute
          where attrelid = 'send_budgets'::regclass and attname = 'starts'`),
      );
      expect(storage?.storage).toBe("e");
      // The tables rewritten at every event and send are vacuumed after a fixed count of dead rows.
      const options = rowsOf<{ name: string; options: string }>(
        await database.db.execute(sql`select relname as name, array_to_string(reloptions, ',') as options
          from pg_class where relname in ('inbox', 'outbox', 'send_budgets') order by relname`),
      );
      const vacuumedAfter = (rows: number) =>
        `autovacuum_vacuum_scale_factor=0,autovacuum_vacuum_threshold=${rows}`;
      expect(options).toEqual([
        { name: "inbox", options: vacuumedAfter(10_000) },
        { name: "outbox", options: vacuumedAfter(10_000) },
        { name: "send_budgets", options: vacuumedAfter(1_000) },
      ]);
      const [toast] = rowsOf<{ options: string }>(
        await database.db.execute(sql`select array_to_string(toast.reloptions, ',') as options
          from pg_class budgets join pg_class toast on toast.oid = budgets.reltoastrelid
          where budgets.relname = 'send_budgets'`),
      );
      expect(toast?.options).toBe(vacuumedAfter(1_000));
    } finally {
      await database.close();
    }
  });

  it.skipIf(!adminUrl)(
    "run once when two instances start on the same Postgres at the same moment",
    async () => {
      const name = `opsbot_migrate_${randomBytes(4).toString("hex")}`;
      const admin = postgres(adminUrl as string, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}"`);
      const url = new URL(adminUrl as string);
      url.pathname = `/${name}`;
      const instances = [1, 2, 3].map(() =>
        openPostgres(url.toString(), { migrationsFolder: MIGRATIONS_FOLDER }),
      );
      try {
        await Promise.all(instances.map((instance) => instance.migrate()));
        const check = postgres(url.toString(), { max: 1, onnotice: () => {} });
        const applied = await check`select count(*)::int as n from drizzle.__drizzle_migrations`;
        const journal = await import("../../drizzle/meta/_journal.json", { with: { type: "json" } });
        expect(applied[0]?.n).toBe(journal.default.entries.length);
        const tables = await check`select tablename from pg_tables where schemaname = 'public'`;
        expect(tables.map((row) => row.tablename)).toEqual(expect.arrayContaining(SHARED_TABLES));
        await check.end();
      } finally {
        await Promise.all(instances.map((instance) => instance.close()));
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      }
    },
  );
});
