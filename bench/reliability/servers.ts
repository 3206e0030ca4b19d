// Starts opsbot servers for a scenario (every output line scanned for secrets) and waits for their work to drain.
import { count, inArray, min } from "drizzle-orm";
import { inbox, outbox } from "../../src/db/schema/index.ts";
import { readLockOwner } from "../../src/entry/node/data-dir-lock.ts";
import { runEntry } from "../../test/helpers/node-process.ts";
import { type ChildServer, startChildServer } from "../processes.ts";
import type { SecretScan } from "./secret-scan.ts";
import type { Store } from "./store.ts";

const POLL_MS = 250;

export async function startServer(
  store: Store,
  env: Record<string, string>,
  scan: SecretScan,
  /** Sees every line too (e.g. to count errors). */
  watch: (line: string) => void = () => {},
): Promise<ChildServer> {
  const server = await startChildServer("console/start.ts", { ...env, ...store.env }, [], (line) => {
    scan.scan(line);
    watch(line);
  });
  scan.add(await store.secrets());
  return server;
}

/** Inbox rows not finished and outbox rows not sent, with a word on what they are. */
async function openWork(store: Store, server: ChildServer | undefined): Promise<[number, string]> {
  if (store.kind === "postgres" || !server) {
    const database = await store.open();
    try {
      const events = await database.db.$count(inbox, inArray(inbox.status, ["pending", "processing"]));
      const messages = await database.db.$count(outbox, inArray(outbox.status, ["pending", "sending"]));
      return [events + messages, `${events} inbox rows and ${messages} outbox rows open`];
    } finally {
      await database.close();
    }
  }
  // The embedded database has one owner: ask the server to sweep and drain; nothing done means nothing due.
  const owner = await readLockOwner(store.env.DATA_DIR as string);
  if (!owner) throw new Error("the embedded server is not running");
  let work = 0;
  const said: string[] = [];
  for (const job of ["inbox-sweep", "outbox-drain"]) {
    const answer = await fetch(`${server.url}/admin/jobs/${job}`, {
      method: "POST",
      headers: { authorization: `Bearer ${owner.token}` },
    });
    const { summary } = (await answer.json()) as { summary?: string };
    said.push(`${job}: ${summary}`);
    work += (summary?.match(/\d+/g) ?? ["1"]).map(Number).reduce((sum, n) => sum + n, 0);
  }
  return [work, said.join("; ")];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Open work in a store no server runs on, and when the earliest waiting message is due. */
async function inspectStopped(store: Store): Promise<{ open: number; nextDue: number }> {
  const database = await store.open();
  try {
    const open = inArray(outbox.status, ["pending", "sending"]);
    const events = await database.db.$count(inbox, inArray(inbox.status, ["pending", "processing"]));
    const [row] = await database.db
      .select({ messages: count(), nextDue: min(outbox.nextAttemptAt) })
      .from(outbox)
      .where(open);
    return { open: events + (row?.messages ?? 0), nextDue: row?.nextDue?.getTime() ?? 0 };
  } finally {
    await database.close();
  }
}

/**
 * Lets the server finish everything, retries due later included, then stops it; resolves with how long that
 * took. The embedded database can be read only with its server stopped: when work is left, the server is
 * started again (`restart`) and given until the earliest retry is due.
 */
export async function finishAndStop(
  store: Store,
  server: ChildServer,
  restart: () => Promise<ChildServer>,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  let current = server;
  try {
    for (;;) {
      const left = timeoutMs - (performance.now() - started);
      await waitDrained(store, current, Math.max(left, 0));
      await current.stop();
      if (store.kind === "postgres") return performance.now() - started;
      const { open, nextDue } = await inspectStopped(store);
      if (open === 0) return performance.now() - started;
      if (performance.now() - started > timeoutMs)
        throw new Error(`${open} messages or events still open after ${Math.round(timeoutMs / 1000)} s`);
      current = await restart();
      while (Date.now() < nextDue) await pause(POLL_MS);
    }
  } finally {
    // Whatever happened, no server is left running (stop() of a stopped one just reports its exit).
    await current.stop();
  }
}

/** Polls until the server has nothing left to do; resolves with how long that took, or throws at the deadline. */
export async function waitDrained(store: Store, server: ChildServer, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const [work, what] = await openWork(store, server);
    if (work === 0) return performance.now() - started;
    if (performance.now() - started > timeoutMs)
      throw new Error(
        `work still open after ${Math.round(timeoutMs / 1000)} s: ${what}\n${server.output().slice(-3000)}`,
      );
    await pause(POLL_MS);
  }
}

/**
 * Runs a job once as if the clock read `at`: through the owner's admin route on the embedded database, else
 * with `npm run job` in its own process (whose output is scanned too).
 */
export async function runJobAt(
  store: Store,
  server: ChildServer,
  env: Record<string, string>,
  job: string,
  at: Date,
  scan: SecretScan,
): Promise<string> {
  if (store.kind === "pglite") {
    const owner = await readLockOwner(store.env.DATA_DIR as string);
    const answer = await fetch(`${server.url}/admin/jobs/${job}?at=${encodeURIComponent(at.toISOString())}`, {
      method: "POST",
      headers: { authorization: `Bearer ${owner?.token ?? ""}` },
    });
    const { summary, error } = (await answer.json()) as { summary?: string; error?: string };
    return summary ?? `failed: ${error}`;
  }
  const { output } = await runEntry("src/entry/node/job.ts", [job, "--at", at.toISOString()], {
    ...env,
    ...store.env,
  });
  for (const line of output.split("\n")) if (line) scan.scan(line);
  return output.trim().split("\n").at(-1) ?? "";
}
