// A change to a versioned row: read it, let the caller decide, write only if nobody changed it meanwhile; a few
// tries, then the row counts as busy.

/** Tries before a row changed by others on every read counts as busy. */
const ATTEMPTS = 3;

/**
 * Runs `attempt` until it returns a result: it reads the row and writes it under the version it read, and returns
 * undefined when that version was gone. `busy` is the refusal after the last try.
 */
export async function versionedChange<R>(
  attempt: () => Promise<R | undefined>,
  busy: () => Error,
): Promise<R> {
  for (let tries = 0; tries < ATTEMPTS; tries++) {
    const result = await attempt();
    if (result !== undefined) return result;
  }
  throw busy();
}
