// The audit trail: every state change records who, when, from which platform message, old and new state.
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
