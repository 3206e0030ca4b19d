// Stores acked events in as few statements as possible: while one INSERT is in flight, the events that
// arrive wait and go in the next one together, so a burst costs one commit per batch, not per event.
import { sql } from "drizzle-orm";
import type { InboundEvent } from "../chat/events.ts";
import { coalesce } from "../db/coalesce.ts";
import { type Db, rowsOf } from "../db/database.ts";
import { directoryVersion, inbox } from "../db/schema/index.ts";

export interface Stored {
  id: number;
  /** False for a redelivery of an event already stored (or stored by an earlier copy in the same batch). */
  inserted: boolean;
  /**
   * For a row inserted claimed: the count of changes to people and roles (directory_version) the insert saw,
   * or null when it could not tell (the row cleared out).
   */
  directoryVersion?: number | null;
}

interface Pending {
  event: InboundEvent;
  receivedAt: Date;
  leaseUntil: Date;
  /** Stored as taken by this process (processing, first attempt) rather than waiting for a claim. */
  claimed: boolean;
}

/** Rows per statement at most (they go as one JSON parameter). */
const MAX_BATCH = 500;

const keyOf = (event: InboundEvent) => `${event.platform}\u0000${event.dedupKey}`;

/** The batch as one JSON parameter: the statement text stays the same whatever the batch size. */
const batchInput = (rows: Pending[]) =>
  JSON.stringify(
    rows.map(({ event, receivedAt, leaseUntil, claimed }) => ({
      platform: event.platform,
      dedup_key: event.dedupKey,
      event,
      status: claimed ? "processing" : "pending",
      attempts: claimed ? 1 : 0,
      received_at: receivedAt.toISOString(),
      lease_until: leaseUntil.toISOString(),
    })),
  );

interface StoredRow {
  id: number | string;
  platform: string;
  dedup_key: string;
  inserted: boolean;
  directory_version: number | string | null;
}

/**
 * Inserts the new events and finds the ids of those already stored, in one statement. A row stored by
 * another instance after this statement began is invisible to it; the second look below finds those.
 */
async function insertOrFind(db: Db, rows: Pending[]): Promise<StoredRow[]> {
  const result = await db.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${batchInput(rows)}::jsonb)
        as x(platform text, dedup_key text, event jsonb, status text, attempts int, received_at timestamptz,
          lease_until timestamptz)
    ), stored as (
      insert into ${inbox} (platform, dedup_key, event, status, attempts, received_at, lease_until)
      select platform, dedup_key, event, status, attempts, received_at, lease_until from input
      on conflict (platform, dedup_key) do nothing
      returning id, platform, dedup_key
    ), version as (
      select (select ${directoryVersion.version} from ${directoryVersion}) as directory_version
    )
    select id, platform, dedup_key, true as inserted, directory_version from stored, version
    union all
    select existing.id, existing.platform, existing.dedup_key, false, null
      from ${inbox} existing join input using (platform, dedup_key)`);
  return rowsOf<StoredRow>(result);
}

async function findStored(db: Db, rows: Pending[]): Promise<StoredRow[]> {
  const keys = JSON.stringify(
    rows.map(({ event }) => ({ platform: event.platform, dedup_key: event.dedupKey })),
  );
  const result = await db.execute(sql`
    select id, platform, dedup_key, false as inserted, null as directory_version from ${inbox}
    where (platform, dedup_key) in (
      select platform, dedup_key from jsonb_to_recordset(${keys}::jsonb) as x(platform text, dedup_key text))`);
  return rowsOf<StoredRow>(result);
}

/** Each event's row, in the batch's order; an Error for a row gone between the insert and the look. */
async function storeBatch(db: Db, batch: Pending[]): Promise<(Stored | Error)[]> {
  const firsts = new Map<string, Pending>();
  for (const pending of batch)
    if (!firsts.has(keyOf(pending.event))) firsts.set(keyOf(pending.event), pending);
  const rows = [...firsts.values()];
  const ids = new Map<string, number>();
  const inserted = new Map<string, number | null>();
  const remember = (row: StoredRow) => {
    const key = `${row.platform}\u0000${row.dedup_key}`;
    ids.set(key, Number(row.id));
    if (row.inserted)
      inserted.set(key, row.directory_version === null ? null : Number(row.directory_version));
  };
  (await insertOrFind(db, rows)).forEach(remember);
  const unseen = rows.filter((pending) => !ids.has(keyOf(pending.event)));
  if (unseen.length > 0) (await findStored(db, unseen)).forEach(remember);
  return batch.map((pending) => {
    const key = keyOf(pending.event);
    const id = ids.get(key);
    if (id === undefined) return new Error("inbox row vanished between insert and select");
    if (!inserted.has(key) || firsts.get(key) !== pending) return { id, inserted: false };
    if (!pending.claimed) return { id, inserted: true };
    return { id, inserted: true, directoryVersion: inserted.get(key) ?? null };
  });
}

export function createAcceptBatcher(db: Db) {
  const store = coalesce((batch: Pending[]) => storeBatch(db, batch), MAX_BATCH);
  return {
    async accept(event: InboundEvent, receivedAt: Date, leaseUntil: Date, claimed: boolean): Promise<Stored> {
      const stored = await store({ event, receivedAt, leaseUntil, claimed });
      if (stored instanceof Error) throw stored;
      return stored;
    },
  };
}
