// system-probe: on working mornings from 08:30 (policy) until the check is due, the bot GETs each system of
// OPS_SYSTEM_CHECKS once and keeps status and latency for the /check card to start from.
import { localDateOf, localTimeOfDay, parseTimeOfDay } from "../domain/calendar/local-time.ts";
import { loadCalendarOverrides } from "../domain/calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../domain/calendar/working-calendar.ts";
import { SYSTEM_CHECK_CUTOFF, SYSTEM_PROBE_TIME, SYSTEM_PROBE_TIMEOUT_SECONDS } from "../domain/policy.ts";
import { type ProbeDeps, probeSystemsOnce } from "../domain/system-check/probe.ts";
import type { Job, JobContext } from "./job.ts";

/** The real network and clock; tests run the job's work through `runSystemProbe` with their own. */
const networkProbe: ProbeDeps = {
  fetch: (input, init) => fetch(input, init),
  timeoutMs: SYSTEM_PROBE_TIMEOUT_SECONDS * 1000,
  elapsedMs: () => performance.now(),
};

/** One tick of the job with the given probe dependencies. */
export async function runSystemProbe(
  { database: { db }, config, now }: Pick<JobContext, "database" | "config" | "now">,
  deps: ProbeDeps,
): Promise<string> {
  if (config.systemChecks.length === 0) return "no systems configured (OPS_SYSTEM_CHECKS)";
  const calendar = createWorkingCalendar({
    timezone: config.timezone,
    overrides: await loadCalendarOverrides(db),
  });
  const day = localDateOf(now, config.timezone);
  if (!calendar.isWorkingDay(day).working) return `${day} is not a working day`;
  const time = localTimeOfDay(now, config.timezone);
  if (time < parseTimeOfDay(SYSTEM_PROBE_TIME)) return `not ${SYSTEM_PROBE_TIME} yet`;
  if (time >= parseTimeOfDay(SYSTEM_CHECK_CUTOFF)) return `the check was due at ${SYSTEM_CHECK_CUTOFF}`;
  const stored = await probeSystemsOnce(db, config.systemChecks, { day, now }, deps);
  return `${stored.length} systems probed for ${day}: ${stored.filter((result) => result.reachable).length} reachable`;
}

export const systemProbeJob: Job = {
  name: "system-probe",
  cron: "* * * * *",
  description: "probe the systems of OPS_SYSTEM_CHECKS once each working morning for the /check card",
  run: (ctx) => runSystemProbe(ctx, networkProbe),
};
