// Granting and revoking roles: each change audited with the roles before and after; the last admin stays.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { personRoles } from "../../db/schema/index.ts";
import { audit } from "../audit.ts";
import { isRole, ROLES, type Role } from "./role.ts";

export interface RoleChange {
  personId: number;
  role: Role;
  /** Who made the change (people.id); null for the OPS_ADMINS bootstrap. */
  by: number | null;
  now: Date;
  platform?: string | undefined;
  platformMessageId?: string | undefined;
}

/** The person's roles, most powerful first (the order ROLES lists them). */
export async function rolesOf(db: Db, personId: number): Promise<Role[]> {
  const rows = await db
    .select({ role: personRoles.role })
    .from(personRoles)
    .where(eq(personRoles.personId, personId));
  return sortRoles(rows.map((row) => row.role).filter(isRole));
}

const ROLE_ORDER: readonly string[] = ROLES;
export const sortRoles = (roles: Role[]): Role[] =>
  [...roles].sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));

function auditRoleChange(
  tx: Db,
  change: RoleChange,
  action: "role.granted" | "role.revoked",
  before: Role[],
  after: Role[],
) {
  return audit(tx, {
    at: change.now,
    actorPersonId: change.by,
    platform: change.platform,
    platformMessageId: change.platformMessageId,
    entityType: "person",
    entityId: String(change.personId),
    action,
    before: { roles: before },
    after: { roles: after },
  });
}

/** Grants a role once; returns false (and changes nothing) when the person already had it. */
export async function grantRole(db: Db, change: RoleChange): Promise<boolean> {
  return db.transaction(async (tx) => {
    const before = await rolesOf(tx, change.personId);
    const granted = await tx
      .insert(personRoles)
      .values({ personId: change.personId, role: change.role, grantedBy: change.by, grantedAt: change.now })
      .onConflictDoNothing()
      .returning({ role: personRoles.role });
    if (granted.length === 0) return false;
    await auditRoleChange(tx, change, "role.granted", before, sortRoles([...before, change.role]));
    return true;
  });
}

export type RevokeOutcome = "revoked" | "not_held" | "last_admin";

/**
 * Takes a role away. Refuses to remove the admin role from the only admin left: nobody could grant it
 * again. The admin rows are locked first, so two admins revoking each other at once cannot both succeed.
 */
export async function revokeRole(db: Db, change: RoleChange): Promise<RevokeOutcome> {
  return db.transaction(async (tx) => {
    if (change.role === "admin") {
      const admins = await tx
        .select({ personId: personRoles.personId })
        .from(personRoles)
        .where(eq(personRoles.role, "admin"))
        .for("update");
      const holds = admins.some((admin) => admin.personId === change.personId);
      if (holds && admins.length === 1) return "last_admin";
    }
    const before = await rolesOf(tx, change.personId);
    const removed = await tx
      .delete(personRoles)
      .where(and(eq(personRoles.personId, change.personId), eq(personRoles.role, change.role)))
      .returning({ role: personRoles.role });
    if (removed.length === 0) return "not_held";
    const after = before.filter((role) => role !== change.role);
    await auditRoleChange(tx, change, "role.revoked", before, after);
    return "revoked";
  });
}
