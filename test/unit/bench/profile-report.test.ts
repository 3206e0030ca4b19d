import { describe, expect, it } from "vitest";
import type { ProfileSummary } from "../../../bench/cpu-profile.ts";
import { busyClause, type PhaseProfile } from "../../../bench/profile-report.ts";

const phase = (busyMicros: number, windowMicros: number, acked: number): PhaseProfile => ({
  summary: { busyMicros, idleMicros: windowMicros - busyMicros, categories: [] } satisfies ProfileSummary,
  windowMicros,
  acked,
});

describe("busyClause", () => {
  it("says the server's waits set the pace when its threads were mostly idle", () => {
    expect(busyClause(phase(4_570_000, 10_000_000, 23_000))).toBe(
      "the server's threads were busy 45.7 % of the phase (0.20 ms per acked event) and idle the rest, so its own CPU did not set the pace: its waits did (on Postgres and the network)",
    );
  });

  it("says its CPU set the pace when its threads were busy most of the phase", () => {
    expect(busyClause(phase(9_000_000, 10_000_000, 5_000))).toBe(
      "the server's threads were busy 90.0 % of the phase (1.80 ms per acked event), so its own CPU set the pace",
    );
  });
});
