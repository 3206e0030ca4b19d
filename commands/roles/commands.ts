// /role grant|revoke (/角色 授予|撤销): admins give and take roles; the user is an @mention or a user id.

import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import { ROLE_NAMES_ZH } from "../../src/bot/role-words.ts";
import type { InboundMessage, Person } from "../../src/chat/events.ts";
import type { Bilingual, Language } from "../../src/chat/language.ts";
import { isBootstrapAdmin } from "../../src/config/parse-env.ts";
import type { Role } from "../../src/domain/people/role.ts";
import type { CommandDeps } from "../deps.ts";
import { SETTINGS } from "../subscriptions/commands.ts";

/** Platform user ids as the platforms write them: Lark ou_…, DingTalk staff ids, WeCom userids. */
const USER_ID = /^[A-Za-z0-9_.@:+-]{1,128}$/;
const AT = /^[@＠]/u;

const roleName = (role: Role, language: Language): string => (language === "zh" ? ROLE_NAMES_ZH[role] : role);

const roleList = (roles: readonly Role[], language: Language): string =>
  roles.length === 0
    ? language === "zh"
      ? "无"
      : "none"
    : roles.map((role) => roleName(role, language)).join(language === "zh" ? "、" : ", ");

/**
 * The account the member argument names: the mentioned person for "@Name" (matched by name when the message
 * mentions several), else the typed text as a user id on the actor's platform. WeCom sends no structured
 * mentions, so there the user id is the only way.
 */
export function memberOf(typed: string, event: InboundMessage): Person {
  if (AT.test(typed)) {
    const name = typed.slice(1);
    const mentioned =
      event.mentions.length === 1 ? event.mentions[0] : event.mentions.find((person) => person.name === name);
    if (mentioned) return mentioned;
    throw new UserError(
      `无法识别 ${typed}: 这条消息没有带上提及信息; 请改写其用户ID, 例如 /角色 授予 zhangsan 客服`,
      `cannot tell who ${typed} is: the message carried no mention; type their user id instead, e.g. /role grant zhangsan cs`,
    );
  }
  if (!USER_ID.test(typed)) {
    throw new UserError(
      `用户要 @ 提及, 或写其用户ID (字母、数字、_ . - @): ${typed}`,
      `the user must be an @mention or a user id (letters, digits, _ . - @): ${typed}`,
    );
  }
  return { id: typed };
}

interface RoleRequest {
  account: Person;
  role: Role;
  event: InboundMessage;
  by: number;
  now: Date;
}

export function createRoleCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { people } = deps.services;

  const changeOf = (request: RoleRequest, personId: number) => ({
    personId,
    role: request.role,
    by: request.by,
    now: request.now,
    platform: request.event.platform,
    platformMessageId: request.event.messageId,
  });

  /** Creates the account of someone who never wrote to the bot, then grants. */
  async function grant(request: RoleRequest): Promise<Bilingual> {
    const { account, role, event, now } = request;
    const member = await people.forContact({
      platform: event.platform,
      userId: account.id,
      name: account.name,
      bootstrapAdmin: false,
      now,
    });
    if (!(await people.grantRole(changeOf(request, member.personId))))
      throw new UserError(
        `${member.name} 已有${ROLE_NAMES_ZH[role]}角色, 未作更改`,
        `${member.name} already has the ${role} role; nothing changed`,
      );
    const roles = await people.rolesOf(member.personId);
    return {
      zh: `已授予 ${member.name} ${ROLE_NAMES_ZH[role]}角色。现有角色: ${roleList(roles, "zh")}`,
      en: `Granted ${member.name} the ${role} role. Roles now: ${roleList(roles, "en")}`,
    };
  }

  /** Revokes; an account the bot never heard of holds no role, and is not created for the answer. */
  async function revoke(request: RoleRequest): Promise<Bilingual> {
    const { account, role, event } = request;
    const member = await people.known(event.platform, account.id);
    const name = member?.name ?? account.name ?? account.id;
    const outcome = member ? await people.revokeRole(changeOf(request, member.personId)) : "not_held";
    if (outcome === "last_admin")
      throw new UserError(
        "你是唯一的管理员, 不能撤销自己的管理员角色 (否则没有人能再授予角色); 请先授予另一位管理员",
        "you are the only admin and cannot revoke your own admin role (nobody could grant roles again); grant another admin first",
      );
    if (outcome === "not_held" || !member)
      throw new UserError(
        `${name} 没有${ROLE_NAMES_ZH[role]}角色, 未作更改`,
        `${name} does not have the ${role} role; nothing changed`,
      );
    const roles = await people.rolesOf(member.personId);
    const comeback =
      // An OPS_ADMINS account gets admin back at its next message, which the admin revoking it should know.
      role === "admin" && isBootstrapAdmin(deps.config, request.event.platform, request.account.id)
        ? {
            zh: " 注意: 此账号在 OPS_ADMINS 中, 下次发消息时会重新成为管理员。",
            en: " Note: this account is in OPS_ADMINS and becomes admin again at its next message.",
          }
        : { zh: "", en: "" };
    return {
      zh: `已撤销 ${name} 的${ROLE_NAMES_ZH[role]}角色。现有角色: ${roleList(roles, "zh")}${comeback.zh}`,
      en: `Revoked the ${role} role from ${name}. Roles now: ${roleList(roles, "en")}${comeback.en}`,
    };
  }

  const roleCommand = defineCommand({
    id: "role",
    group: SETTINGS,
    names: { en: ["role"], zh: ["角色"] },
    description: {
      zh: "授予或撤销成员的角色; 成员用 @ 提及, 或写其用户ID (企业微信不带提及信息)",
      en: "grant or revoke a member's role; @mention the member or type their user id (WeCom carries no mentions)",
    },
    example: {
      zh: "授予 @王伟 经理 · 企业微信: /角色 授予 zhangsan 客服",
      en: "grant @Wang manager · in WeCom: /role grant zhangsan cs",
    },
    roles: ["admin"],
    args: {
      change: arg.enum({ label: { zh: "操作", en: "change" }, choices: { grant: "授予", revoke: "撤销" } }),
      user: arg.text({ label: { zh: "用户", en: "user" } }),
      role: arg.enum({ label: { zh: "角色", en: "role" }, choices: ROLE_NAMES_ZH }),
    },
    handler: async ({ args, event, actor, reply }) => {
      const request = {
        account: memberOf(args.user, event),
        role: args.role,
        event,
        by: actor.personId,
        now: deps.now(),
      };
      const answer = args.change === "grant" ? await grant(request) : await revoke(request);
      return reply.text(answer.zh, answer.en);
    },
  });

  return { commands: [roleCommand], actions: [] };
}
