// A real Node server (PGlite in a temp DATA_DIR, or a fresh TEST_DATABASE_URL database) for the long-connection tests.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc } from "drizzle-orm";
import { parseEnv } from "../../src/config/parse-env.ts";
import type { Database } from "../../src/db/database.ts";
import { MIGRATIONS_FOLDER } from "../../src/db/migrations-folder.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { inbox, outbox } from "../../src/db/schema/index.ts";
import { type RunningServer, startNodeServer } from "../../src/entry/node/server.ts";
import { createLogger } from "../../src/log.ts";
import { openTestDatabase, type TestDatabase } from "./database.ts";
import { LARK_SIGNED_AT } from "./lark-signer.ts";

export interface TableRows {
  inbox: (typeof inbox.$inferSelect)[];
  outbox: (typeof outbox.$inferSelect)[];
}

export interface LongConnectionServer {
  server: RunningServer;
  logLines: string[];
  /** Stops the server (idempotent) and reads its inbox and outbox rows. */
  stopAndRead(): Promise<TableRows>;
  /** Moves the server's clock forward (it also moves with the monotonic clock, for the outbox's pacing). */
  advance(ms: number): void;
  close(): Promise<void>;
}

/**
 * Starts `npm start`'s server in-process with `env` (no scheduler). The clock starts on a working morning and
 * moves with the monotonic clock: the outbox paces sends in real time; tests jump it forward with `advance`.
 */
export async function startLongConnectionServer(
  env: Record<string, string>,
  options: { database?: TestDatabase; secrets?: string[] } = {},
): Promise<LongConnectionServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "opsbot-long-connection-"));
  const ownDatabase =
    !options.database && process.env.TEST_DATABASE_URL ? await openTestDatabase() : undefined;
  const shared = options.database ?? ownDatabase;
  const logLines: string[] = [];
  const origin = performance.now();
  let offset = 0;
  const now = () => new Date(LARK_SIGNED_AT.getTime() + offset + (performance.now() - origin));
  const config = parseEnv({
    PORT: "0",
    DATA_DIR: dataDir,
    ...(shared?.url ? { DATABASE_URL: shared.url } : {}),
    ...env,
  });
  const server = await startNodeServer({
    config,
    log: createLogger({
      write: (line) => logLines.push(line),
      minLevel: "debug",
      now,
      secrets: options.secrets ?? [],
    }),
    schedule: false,
    hostname: "127.0.0.1",
    now,
  });
  const read = async (database: Database): Promise<TableRows> => ({
    inbox: await database.db.select().from(inbox).orderBy(asc(inbox.id)),
    outbox: await database.db.select().from(outbox).orderBy(asc(outbox.id)),
  });
  return {
    server,
    logLines,
    async stopAndRead() {
      await server.shutdown();
      if (shared) return read(shared);
      // The embedded database is the server's alone while it runs.
      const embedded = await openPglite(join(dataDir, "pglite"), MIGRATIONS_FOLDER);
      try {
        return await read(embedded);
      } finally {
        await embedded.close();
      }
    },
    advance: (ms) => {
      offset += ms;
    },
    async close() {
      await server.shutdown();
      await ownDatabase?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
