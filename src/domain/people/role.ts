// The roles a person can hold, and the default "holds one of the required roles" check.

/** In the order people read them: most powerful first. */
export const ROLES = ["admin", "manager", "cs", "qa", "warehouse", "finance", "staff"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Decides whether a person may run something; injected into the router so the policy stays the caller's. */
export type Authorize = (personRoles: readonly Role[], required: readonly Role[]) => boolean;

/** Allowed when nothing is required or the person holds at least one of the required roles. */
export const hasAnyRole: Authorize = (personRoles, required) =>
  required.length === 0 || required.some((role) => personRoles.includes(role));
