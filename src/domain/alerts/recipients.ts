// Who an alert goes to: the groups subscribed to alerts, for reviews and escalations each manager, for a task its owner.
import { asc, eq } from "drizzle-orm";
import type { PlatformId } from "../../chat/events.ts";
import { inJsonList } from "../../db/any-of.ts";
import type { Db } from "../../db/database.ts";
import { identities, personRoles } from "../../db/schema/index.ts";
import type { Recipient } from "../notifications/recipients.ts";

/**
 * Every account of a person with the manager role, as a direct chat: all three platforms address a 1:1
 * message by the same user id the identity holds (Lark open_id, DingTalk staff id, WeCom userid).
 */
export async function managerRecipients(db: Db): Promise<Recipient[]> {
  const rows = await db
    .select({ platform: identities.platform, userId: identities.platformUserId })
    .from(personRoles)
    .innerJoin(identities, eq(identities.personId, personRoles.personId))
    .where(eq(personRoles.role, "manager"))
    .orderBy(asc(identities.platform), asc(identities.platformUserId));
  return rows.map(directRecipient);
}

/** Every account of these people as a direct chat, by person: a task's owner is told directly. */
export async function peopleRecipients(
  db: Db,
  personIds: readonly number[],
): Promise<Map<number, Recipient[]>> {
  const byPerson = new Map<number, Recipient[]>();
  if (personIds.length === 0) return byPerson;
  const rows = await db
    .select({
      personId: identities.personId,
      platform: identities.platform,
      userId: identities.platformUserId,
    })
    .from(identities)
    .where(inJsonList(identities.personId, [...new Set(personIds)]))
    .orderBy(asc(identities.platform), asc(identities.platformUserId));
  for (const row of rows)
    byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), directRecipient(row)]);
  return byPerson;
}

function directRecipient(row: { platform: string; userId: string }): Recipient {
  const platform = row.platform as PlatformId;
  return {
    platform,
    chatId: row.userId,
    target: { kind: "chat", platform, chatId: row.userId, chatKind: "direct" },
  };
}
