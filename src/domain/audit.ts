// The audit trail: every state change records who, when, from which platform message, old and new state.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { auditLog } from "../db/schema/index.ts";

export interface AuditEntry {
  at: Date;
  actorPersonId: number | null;
  platform?: string | undefined;
  platformMessageId?: string | undefined;
  entityType: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

/** Writes one audit row; pass the transaction of the change it records. */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    at: entry.at,
    actorPersonId: entry.actorPersonId,
    platform: entry.platform ?? null,
    platformMessageId: entry.platformMessageId ?? null,
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

/**
 * An INSERT of one audit row per row of `from` (a CTE of the same statement), for a change written in one
 * statement with its audit row: the entity id and the new state are SQL over that row.
 */
export function auditInsertFrom(
  entry: Omit<AuditEntry, "entityId" | "before" | "after">,
  { from, entityId, after }: { from: SQL; entityId: SQL; after: SQL },
): SQL {
  return sql`insert into ${auditLog} (at, actor_person_id, platform, platform_message_id, entity_type, entity_id,
      action, after)
    select ${entry.at.toISOString()}::timestamptz, ${entry.actorPersonId}::int, ${entry.platform ?? null}::text,
        ${entry.platformMessageId ?? null}::text, ${entry.entityType}, ${entityId}, ${entry.action}, ${after}
      from ${from}`;
}
