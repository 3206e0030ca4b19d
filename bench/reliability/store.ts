// Where a scenario's servers keep their data: a fresh embedded PGlite directory or a fresh Postgres database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../src/db/database.ts";
import { MIGRATIONS_FOLDER } from "../../src/db/migrations-folder.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { openPostgres } from "../../src/db/postgres.ts";
import { inbox, outbox } from "../../src/db/schema/index.ts";
import { readLockOwner } from "../../src/entry/node/data-dir-lock.ts";
import { createBenchDatabase } from "../bench-database.ts";

export type StoreKind = "pglite" | "postgres";

export interface Store {
  readonly kind: StoreKind;
  /** DATA_DIR or DATABASE_URL for the servers. */
  readonly env: Record<string, string>;
  /**
   * Opens the database for reading and fixing up. The embedded one only while no server runs on it (it has
   * one owner); Postgres at any time.
   */
  open(): Promise<Database>;
  /** Secrets the store adds to a running server: the embedded owner's admin token. */
  secrets(): Promise<string[]>;
  close(): Promise<void>;
}

export async function createStore(kind: StoreKind, adminUrl?: string): Promise<Store> {
  if (kind === "pglite") {
    const dataDir = mkdtempSync(join(tmpdir(), "opsbot-reliability-"));
    return {
      kind,
      env: { DATA_DIR: dataDir },
      open: async () => openPglite(join(dataDir, "pglite"), MIGRATIONS_FOLDER),
      secrets: async () => {
        const owner = await readLockOwner(dataDir);
        return owner ? [owner.token] : [];
      },
      close: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  if (!adminUrl) throw new Error("a Postgres store needs an admin connection string");
  const database = await createBenchDatabase(adminUrl);
  return {
    kind,
    env: { DATABASE_URL: database.url },
    open: async () => openPostgres(database.url, { max: 2 }),
    secrets: async () => [],
    close: () => database.drop(),
  };
}

/**
 * Hands every lease of a dead server on Postgres back at once, as if it had been down longer than the leases
 * (inbox 1 min, outbox 2 min): the restarted server's start-up sweep then finishes its events without waiting
 * them out. (On the embedded database the restarted server does this itself.)
 */
export async function expireLeases(database: Database): Promise<void> {
  const past = sql`now() - interval '1 second'`;
  await database.db
    .update(inbox)
    .set({ leaseUntil: past })
    .where(inArray(inbox.status, ["pending", "processing"]));
  // A claim moves next_attempt_at to the end of its lease as well.
  await database.db
    .update(outbox)
    .set({ leaseUntil: past, nextAttemptAt: past })
    .where(eq(outbox.status, "sending"));
}
