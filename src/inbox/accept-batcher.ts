// Stores acked events in as few statements as possible: while one INSERT is in flight, the events that
// arrive wait and go in the next one together, so a burst costs one commit per batch, not per event.
import { and, eq, or } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { inbox } from "../db/schema/index.ts";
import type { InboundEvent } from "../platforms/types.ts";

export interface Accepted {
  id: number;
  /** False for a redelivery of an event already stored (or stored by an earlier copy in the same batch). */
  inserted: boolean;
}

interface Waiting {
  event: InboundEvent;
  receivedAt: Date;
  leaseUntil: Date;
  resolve(accepted: Accepted): void;
  reject(error: unknown): void;
}

/** Rows per statement, well under Postgres' 65,535 bind parameters. */
const MAX_BATCH = 500;

const keyOf = (event: InboundEvent) => `${event.platform}\u0000${event.dedupKey}`;

async function storeBatch(db: Db, batch: Waiting[]): Promise<void> {
  const firsts = new Map<string, Waiting>();
  for (const waiting of batch)
    if (!firsts.has(keyOf(waiting.event))) firsts.set(keyOf(waiting.event), waiting);
  const rows = [...firsts.values()];
  const stored = await db
    .insert(inbox)
    .values(
      rows.map(({ event, receivedAt, leaseUntil }) => ({
        platform: event.platform,
        dedupKey: event.dedupKey,
        event,
        receivedAt,
        leaseUntil,
      })),
    )
    .onConflictDoNothing({ target: [inbox.platform, inbox.dedupKey] })
    .returning({ id: inbox.id, platform: inbox.platform, dedupKey: inbox.dedupKey });
  const ids = new Map(stored.map((row) => [`${row.platform}\u0000${row.dedupKey}`, row.id]));
  const inserted = new Set(ids.keys());
  const known = rows.filter((waiting) => !ids.has(keyOf(waiting.event)));
  if (known.length > 0) {
    const existing = await db
      .select({ id: inbox.id, platform: inbox.platform, dedupKey: inbox.dedupKey })
      .from(inbox)
      .where(
        or(
          ...known.map(({ event }) =>
            and(eq(inbox.platform, event.platform), eq(inbox.dedupKey, event.dedupKey)),
          ),
        ),
      );
    for (const row of existing) ids.set(`${row.platform}\u0000${row.dedupKey}`, row.id);
  }
  for (const waiting of batch) {
    const key = keyOf(waiting.event);
    const id = ids.get(key);
    if (id === undefined) waiting.reject(new Error("inbox row vanished between insert and select"));
    else waiting.resolve({ id, inserted: inserted.has(key) && firsts.get(key) === waiting });
  }
}

export function createAcceptBatcher(db: Db) {
  const queue: Waiting[] = [];
  let flushing = false;

  async function flush() {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        await storeBatch(db, batch);
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    flushing = false;
  }

  return {
    accept(event: InboundEvent, receivedAt: Date, leaseUntil: Date): Promise<Accepted> {
      return new Promise((resolve, reject) => {
        queue.push({ event, receivedAt, leaseUntil, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}
