// People behind platform accounts: created on first contact, with their roles (admins bootstrapped from config).
import { and, eq } from "drizzle-orm";
import type { Role } from "../../bot/roles.ts";
import type { Db } from "../../db/database.ts";
import { identities, people } from "../../db/schema/index.ts";
import type { PlatformId } from "../../platforms/types.ts";
import { audit } from "../audit.ts";
import { grantRole, rolesOf } from "./roles.ts";

// Where other areas have always found it.
export { grantRole } from "./roles.ts";

export interface KnownPerson {
  personId: number;
  name: string;
  roles: Role[];
}

export interface ContactInput {
  platform: PlatformId;
  userId: string;
  name?: string | undefined;
  /** Accounts named by OPS_ADMINS: they get the admin role on first contact. */
  bootstrapAdmin: boolean;
  now: Date;
}

/**
 * The person behind a platform account, created on first contact. Safe under concurrency: two first
 * messages from one account end with one person.
 */
export async function personForContact(db: Db, input: ContactInput): Promise<KnownPerson> {
  const { platform, userId, now } = input;
  const displayName = input.name?.trim() || userId;
  let personId = await findPersonId(db, platform, userId);
  if (personId === undefined) {
    personId = await db
      .transaction(async (tx) => {
        const [person] = await tx
          .insert(people)
          .values({ displayName, createdAt: now })
          .returning({ id: people.id });
        const id = (person as { id: number }).id;
        const linked = await tx
          .insert(identities)
          .values({
            platform,
            platformUserId: userId,
            personId: id,
            name: input.name ?? null,
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning({ personId: identities.personId });
        if (linked.length === 0) {
          // Another request linked this account first: drop our person, use theirs.
          tx.rollback();
        }
        await audit(tx, {
          at: now,
          actorPersonId: id,
          platform,
          entityType: "person",
          entityId: String(id),
          action: "person.created",
          after: { platform, userId, name: displayName },
        });
        return id;
      })
      .catch(async (error) => {
        const existing = await findPersonId(db, platform, userId);
        if (existing === undefined) throw error;
        return existing;
      });
  } else if (input.name && input.name !== (await currentName(db, personId))) {
    await db.update(people).set({ displayName: input.name }).where(eq(people.id, personId));
  }
  if (input.bootstrapAdmin) await grantRole(db, { personId, role: "admin", by: null, now, platform });
  return {
    personId,
    name: input.name?.trim() || (await currentName(db, personId)) || userId,
    roles: await rolesOf(db, personId),
  };
}

/** The person behind an account the bot already knows, without creating one. */
export async function knownPerson(
  db: Db,
  platform: PlatformId,
  userId: string,
): Promise<KnownPerson | undefined> {
  const personId = await findPersonId(db, platform, userId);
  if (personId === undefined) return undefined;
  return { personId, name: (await currentName(db, personId)) ?? userId, roles: await rolesOf(db, personId) };
}

async function findPersonId(db: Db, platform: string, userId: string): Promise<number | undefined> {
  const [row] = await db
    .select({ personId: identities.personId })
    .from(identities)
    .where(and(eq(identities.platform, platform), eq(identities.platformUserId, userId)));
  return row?.personId;
}

async function currentName(db: Db, personId: number): Promise<string | undefined> {
  const [row] = await db.select({ name: people.displayName }).from(people).where(eq(people.id, personId));
  return row?.name;
}
