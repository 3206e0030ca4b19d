// The roles a person can hold, their Chinese names, and the default "holds one of the required roles" check.
import { joinOr, type Language } from "../chat/language.ts";

/** In the order people read them: most powerful first. */
const ROLES = ["admin", "manager", "cs", "qa", "warehouse", "finance", "staff"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Chinese names of the roles. Also the choices of an enum argument (`arg.enum({ choices: ROLE_NAMES_ZH })`),
 * so "/角色 授予 @张三 客服" and "/role grant @Zhang cs" both give the role "cs".
 */
export const ROLE_NAMES_ZH = {
  admin: "管理员",
  manager: "经理",
  cs: "客服",
  qa: "质检",
  warehouse: "仓库",
  finance: "财务",
  staff: "员工",
} as const satisfies Record<Role, string>;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Decides whether a person may run something; injected into the router so the policy stays the caller's. */
export type Authorize = (personRoles: readonly Role[], required: readonly Role[]) => boolean;

/** Allowed when nothing is required or the person holds at least one of the required roles. */
export const hasAnyRole: Authorize = (personRoles, required) =>
  required.length === 0 || required.some((role) => personRoles.includes(role));

/** A role as a user reads it: the Chinese name, or the role id itself (which English users type). */
const roleLabel = (role: Role, language: Language): string =>
  language === "zh" ? ROLE_NAMES_ZH[role] : role;

/** "经理 或 管理员" / "manager or admin". */
export const describeRoles = (roles: readonly Role[], language: Language): string =>
  joinOr(
    roles.map((role) => roleLabel(role, language)),
    language,
  );
