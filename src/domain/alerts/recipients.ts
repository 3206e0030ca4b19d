// Who an alert goes to: the groups subscribed to alerts and, for reviews and escalations, each manager directly.
import { asc, eq } from "drizzle-orm";
import type { PlatformId } from "../../chat/events.ts";
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
  return rows.map((row) => {
    const platform = row.platform as PlatformId;
    return {
      platform,
      chatId: row.userId,
      target: { kind: "chat", platform, chatId: row.userId, chatKind: "direct" },
    };
  });
}
