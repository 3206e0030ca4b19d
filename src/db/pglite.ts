// Embedded PGlite persisted in DATA_DIR: the default when DATABASE_URL is unset (Node only).
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import type { Database, Db } from "./database.ts";
import * as schema from "./schema/index.ts";

export async function openPglite(dataDir: string | undefined, migrationsFolder: string): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir ? { dataDir } : {});
  const db = drizzle(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    mode: "pglite",
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    // One process owns an embedded database (see the data-dir lock), so no advisory lock is needed.
    migrate: async () => {
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
