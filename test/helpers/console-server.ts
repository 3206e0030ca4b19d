// A real Node server with the local console on: PGlite in a temp DATA_DIR, or a fresh TEST_DATABASE_URL database.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalConsole } from "../../console/local-console.ts";
import type { Clock } from "../../src/clock.ts";
import { parseEnv } from "../../src/config/parse-env.ts";
import { startNodeServer } from "../../src/entry/node/server.ts";
import { createLogger } from "../../src/log.ts";
import { openTestDatabase, type TestDatabase } from "./database.ts";

export interface ConsoleServer {
  /** Base URL on 127.0.0.1 (the console answers loopback callers only). */
  url: string;
  /** The console API's token, as the served page carries it (empty without the console). */
  token: string;
  /** Headers of a console API call from its own page: the token and a JSON body. */
  apiHeaders: Record<string, string>;
  logLines: string[];
  close(): Promise<void>;
}

export async function startConsoleServer(
  options: {
    now?: Clock /** Mount the console (default); false starts the bare Node server. */;
    console?: boolean;
    /** More variables, e.g. OPS_CONSOLE_TRANSPORT. */
    env?: Record<string, string>;
  } = {},
): Promise<ConsoleServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "opsbot-console-"));
  // Postgres: a fresh database, dropped on close; its own connection stays open until then.
  const database: TestDatabase | undefined = process.env.TEST_DATABASE_URL
    ? await openTestDatabase()
    : undefined;
  const logLines: string[] = [];
  const config = parseEnv({
    PORT: "0",
    DATA_DIR: dataDir,
    ...(database?.url ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const server = await startNodeServer({
    config,
    log: createLogger({ write: (line) => logLines.push(line), minLevel: "debug" }),
    schedule: false,
    hostname: "127.0.0.1",
    ...(options.console === false ? {} : { devTools: createLocalConsole }),
    ...(options.now ? { now: options.now } : {}),
  });
  const url = `http://127.0.0.1:${server.port}`;
  const page = options.console === false ? "" : await (await fetch(`${url}/console`)).text();
  const token = /<meta name="console-token" content="([^"]+)"/.exec(page)?.[1] ?? "";
  return {
    url,
    token,
    apiHeaders: { "content-type": "application/json", "x-console-token": token },
    logLines,
    async close() {
      await server.shutdown();
      await database?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
