// People behind platform accounts: created on first contact, with their roles (admins bootstrapped from config).
import { and, eq } from "drizzle-orm";
import type { PlatformId } from "../../chat/events.ts";
import type { Db } from "../../db/database.ts";
import { identities, people, personRoles } from "../../db/schema/index.ts";
import { audit } from "../audit.ts";
import { isRole, type Role } from "./role.ts";
import { grantRole, rolesOf, sortRoles } from "./roles.ts";

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
  let known = await lookUp(db, platform, userId);
  if (!known) {
    known = await db
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
      .then((id): KnownPerson => ({ personId: id, name: displayName, roles: [] }))
      .catch(async (error) => {
        const existing = await lookUp(db, platform, userId);
        if (!existing) throw error;
        return existing;
      });
  } else if (input.name && input.name !== known.name) {
    await db.update(people).set({ displayName: input.name }).where(eq(people.id, known.personId));
  }
  const { personId } = known;
  let { roles } = known;
  if (input.bootstrapAdmin && !roles.includes("admin")) {
    await grantRole(db, { personId, role: "admin", by: null, now, platform });
    roles = await rolesOf(db, personId);
  }
  return { personId, name: input.name?.trim() || known.name || userId, roles };
}

/** The person behind an account the bot already knows, without creating one. */
export function knownPerson(db: Db, platform: PlatformId, userId: string): Promise<KnownPerson | undefined> {
  return lookUp(db, platform, userId);
}

/** The person, their name and their roles in one query: one row per role, or one with none. */
async function lookUp(db: Db, platform: string, userId: string): Promise<KnownPerson | undefined> {
  const rows = await db
    .select({ personId: identities.personId, name: people.displayName, role: personRoles.role })
    .from(identities)
    .innerJoin(people, eq(people.id, identities.personId))
    .leftJoin(personRoles, eq(personRoles.personId, identities.personId))
    .where(and(eq(identities.platform, platform), eq(identities.platformUserId, userId)));
  const [first] = rows;
  if (!first) return undefined;
  const held = rows.map((row) => row.role).filter((role): role is string => role !== null);
  return { personId: first.personId, name: first.name || userId, roles: sortRoles(held.filter(isRole)) };
}
