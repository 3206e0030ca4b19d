// The roles as users read and type them: Chinese names, and "经理 或 管理员" / "manager or admin".
import { joinOr, type Language } from "../chat/language.ts";
import type { Role } from "../domain/people/role.ts";

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

/** A role as a user reads it: the Chinese name, or the role id itself (which English users type). */
const roleLabel = (role: Role, language: Language): string =>
  language === "zh" ? ROLE_NAMES_ZH[role] : role;

/** "经理 或 管理员" / "manager or admin". */
export const describeRoles = (roles: readonly Role[], language: Language): string =>
  joinOr(
    roles.map((role) => roleLabel(role, language)),
    language,
  );
