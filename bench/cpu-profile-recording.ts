// A V8 CPU profile of a child server (node --cpu-prof into a directory of its own), summarised over windows of
// the run; node writes the profile when the child exits.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  mergeSummaries,
  type ProfileSummary,
  type ProfileWindow,
  profileClockMicros,
  readCpuProfiles,
  summariseCpuProfile,
} from "./cpu-profile.ts";

const PROJECT_ROOT = join(import.meta.dirname, "..");
/**
 * Between two samples. node's default (1 ms) cost an idle server about 9 % of a core in the command-cost bench;
 * at 10 ms a phase of tens of seconds still gives thousands of busy samples.
 */
export const PROFILE_SAMPLING_MS = 10;

export interface CpuProfileRecording {
  /** For the child's command line. */
  readonly nodeOptions: string[];
  /** Opens a window of the run; call the result to close it and get the window. */
  window(): () => ProfileWindow;
  /** Once the child has exited: its self time per category over each set of windows, every thread together. */
  summarise(...windowSets: ProfileWindow[][]): ProfileSummary[];
}

/** Records into a fresh directory under `keepIn` (kept), or under the system's temporary one (removed). */
export function recordCpuProfile(keepIn?: string): CpuProfileRecording {
  const dir = mkdtempSync(join(keepIn ?? tmpdir(), "opsbot-cpu-profile-"));
  return {
    nodeOptions: [
      "--cpu-prof",
      "--cpu-prof-dir",
      dir,
      "--cpu-prof-interval",
      String(PROFILE_SAMPLING_MS * 1000),
    ],
    window() {
      const fromMicros = profileClockMicros();
      return () => ({ fromMicros, toMicros: profileClockMicros() });
    },
    summarise(...windowSets) {
      try {
        const threads = readCpuProfiles(dir);
        return windowSets.map((windows) =>
          mergeSummaries(threads.map((thread) => summariseCpuProfile(thread, PROJECT_ROOT, windows))),
        );
      } finally {
        if (!keepIn) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
