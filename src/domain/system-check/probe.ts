// The bot's own morning probe of the configured systems (OPS_SYSTEM_CHECKS, never a URL from chat): an HTTP GET
// each, its status and latency, within the policy's timeout; one row per system and day, read by /check.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { systemProbes } from "../../db/schema/index.ts";
import type { LocalDate } from "../calendar/local-time.ts";

export interface ProbedSystem {
  name: string;
  url: string;
}

export interface ProbeResult {
  system: string;
  /** The HTTP status; null when no answer came. */
  status: number | null;
  latencyMs: number;
  /** A 2xx answer within the timeout. */
  reachable: boolean;
  /** "timeout", or the error's name, when no answer came. */
  failure: string | null;
}

export interface ProbeDeps {
  fetch: typeof fetch;
  timeoutMs: number;
  /** A monotonic clock in milliseconds, for the latency. */
  elapsedMs: () => number;
}

/** One GET of the system's URL: its status and latency, or why there was no answer. Never throws. */
export async function probeSystem(system: ProbedSystem, deps: ProbeDeps): Promise<ProbeResult> {
  const started = deps.elapsedMs();
  const latency = () => Math.max(0, Math.round(deps.elapsedMs() - started));
  try {
    const response = await deps.fetch(system.url, {
      method: "GET",
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    // Only the status counts; the body is not read beyond what closing it needs.
    await response.body?.cancel();
    const reachable = response.status >= 200 && response.status < 300;
    return { system: system.name, status: response.status, latencyMs: latency(), reachable, failure: null };
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    const failure = name === "TimeoutError" || name === "AbortError" ? "timeout" : name;
    return { system: system.name, status: null, latencyMs: latency(), reachable: false, failure };
  }
}

/**
 * Probes the systems not probed yet on `day` and stores what each answered; a second instance or a rerun of
 * the tick stores nothing twice. Returns the results stored by this run.
 */
export async function probeSystemsOnce(
  db: Db,
  systems: readonly ProbedSystem[],
  { day, now }: { day: LocalDate; now: Date },
  deps: ProbeDeps,
): Promise<ProbeResult[]> {
  const done = new Set((await probesOf(db, day)).map((probe) => probe.system));
  const owed = systems.filter((system) => !done.has(system.name));
  const results = await Promise.all(owed.map((system) => probeSystem(system, deps)));
  const stored: ProbeResult[] = [];
  for (const result of results) {
    const inserted = await db
      .insert(systemProbes)
      .values({ day, probedAt: now, ...result })
      .onConflictDoNothing()
      .returning({ id: systemProbes.id });
    if (inserted.length > 0) stored.push(result);
  }
  return stored;
}

/** What the probes of `day` found, by system name (optionally one system). */
export async function probesOf(db: Db, day: LocalDate, system?: string): Promise<ProbeResult[]> {
  const rows = await db
    .select()
    .from(systemProbes)
    .where(and(eq(systemProbes.day, day), system ? eq(systemProbes.system, system) : undefined));
  return rows.map((row) => ({
    system: row.system,
    status: row.status,
    latencyMs: row.latencyMs,
    reachable: row.reachable,
    failure: row.failure,
  }));
}
