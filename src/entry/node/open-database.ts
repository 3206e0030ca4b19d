// Opens the database the configuration names: Postgres at DATABASE_URL, else PGlite in DATA_DIR (locked).
import { join } from "node:path";
import type { Config } from "../../config/parse-env.ts";
import type { Database } from "../../db/database.ts";
import { MIGRATIONS_FOLDER } from "../../db/migrations-folder.ts";
import { openPglite } from "../../db/pglite.ts";
import { openPostgres } from "../../db/postgres.ts";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock.ts";

export interface OpenedDatabase {
  database: Database;
  /** The data-directory lock when the database is embedded. */
  lock?: DataDirLock;
  /** Releases the lock, if any; call after closing the database. */
  release(): Promise<void>;
}

/** Throws DataDirBusyError when another live process owns the embedded database. */
export async function openConfiguredDatabase(config: Config): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    return {
      database: openPostgres(config.databaseUrl, { migrationsFolder: MIGRATIONS_FOLDER }),
      release: async () => {},
    };
  }
  const lock = await acquireDataDirLock(config.dataDir);
  try {
    const database = await openPglite(join(config.dataDir, "pglite"), MIGRATIONS_FOLDER);
    return { database, lock, release: () => lock.release() };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
