// Where one SLA clock stands at an instant: still running, breached, or stopped (on time or late).
export type ClockState =
  | { kind: "running"; remainingMs: number }
  | { kind: "overdue"; overdueMs: number }
  /** Stopped by the response or the resolution; `lateMs` is 0 when it was met in time. */
  | { kind: "met"; at: Date; lateMs: number };

/** A clock whose deadline is reached without being stopped counts as breached from that very instant. */
export function clockState(due: Date, stoppedAt: Date | null, now: Date): ClockState {
  if (stoppedAt)
    return { kind: "met", at: stoppedAt, lateMs: Math.max(0, stoppedAt.getTime() - due.getTime()) };
  const remainingMs = due.getTime() - now.getTime();
  return remainingMs > 0 ? { kind: "running", remainingMs } : { kind: "overdue", overdueMs: -remainingMs };
}
