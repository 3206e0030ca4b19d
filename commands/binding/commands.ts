// /bind (/绑定) and /unbind (/解绑): one person across Lark, DingTalk and WeCom, linked by a one-time code.
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import type { PlatformId } from "../../src/chat/events.ts";
import type { Bilingual } from "../../src/chat/language.ts";
import { type Account, type BindRefusal, BindRefused } from "../../src/domain/people/binding.ts";
import { BIND_CODE_VALID_MINUTES } from "../../src/domain/policy.ts";
import type { CommandDeps } from "../deps.ts";
import { memberOf } from "../roles/commands.ts";
import { SETTINGS } from "../subscriptions/commands.ts";

const PLATFORM_NAMES: Record<PlatformId, Bilingual> = {
  lark: { zh: "飞书", en: "Lark" },
  dingtalk: { zh: "钉钉", en: "DingTalk" },
  wecom: { zh: "企业微信", en: "WeCom" },
};

const platformName = (platform: string): Bilingual =>
  PLATFORM_NAMES[platform as PlatformId] ?? { zh: platform, en: platform };

function refusalWords(refusal: BindRefusal): Bilingual {
  switch (refusal.kind) {
    case "wrong_code":
      return { zh: "验证码不对, 未作更改", en: "that code is wrong; nothing changed" };
    case "expired":
      return {
        zh: `验证码已过期 (有效 ${BIND_CODE_VALID_MINUTES} 分钟), 未作更改; 请在原账号重新发送 /绑定`,
        en: `that code has expired (valid ${BIND_CODE_VALID_MINUTES} minutes); nothing changed. Send /bind again on your first account`,
      };
    case "used":
      return {
        zh: "验证码已被使用, 未作更改; 请在原账号重新发送 /绑定",
        en: "that code was already used; nothing changed. Send /bind again on your first account",
      };
    case "too_many_attempts":
      return {
        zh: `输错验证码次数过多, 请 ${refusal.retryAfterMinutes} 分钟后再试`,
        en: `too many wrong codes; try again in ${refusal.retryAfterMinutes} minutes`,
      };
    case "not_claimed_yet":
      return {
        zh: "请先在另一个平台的账号上发送 /绑定 <验证码>, 然后回到这里再发一次确认",
        en: "send /bind <code> on your account of the other platform first, then here again to confirm",
      };
    case "already_linked":
      return { zh: "这两个账号已经是同一个人了", en: "these accounts are already linked" };
    case "platform_taken": {
      const name = platformName(refusal.platform);
      return {
        zh: `你已经绑定了一个${name.zh}账号; 请先在那个账号上发送 /解绑`,
        en: `you already have a linked ${name.en} account; send /unbind from it first`,
      };
    }
    case "linked_elsewhere":
      return {
        zh: "这个账号已经与其他账号绑定; 请先发送 /解绑",
        en: "this account is already linked to other accounts; send /unbind first",
      };
    case "not_linked":
      return {
        zh: "这个账号没有与其他账号绑定, 未作更改",
        en: "this account is not linked to another; nothing changed",
      };
  }
}

const refused = (error: unknown): never => {
  if (!(error instanceof BindRefused)) throw error;
  const words = refusalWords(error.refusal);
  throw new UserError(words.zh, words.en, undefined, { cause: error });
};

/** A code looks like 8 letters and digits; anything else is a typo, told apart from a wrong code. */
const CODE_FORM = /^[A-Za-z0-9-]{4,16}$/u;

export function createBindingCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { people } = deps.services;

  const bind = defineCommand({
    id: "bind",
    group: SETTINGS,
    names: { en: ["bind"], zh: ["绑定"] },
    description: {
      zh: `把你在飞书、钉钉、企业微信的账号绑定为同一个人: 在一个平台私聊发送 /绑定 取得验证码 (${BIND_CODE_VALID_MINUTES} 分钟内有效), 在另一个平台发送 /绑定 <验证码>, 再回原账号发送同一条确认`,
      en: `link your Lark, DingTalk and WeCom accounts as one person: /bind in a direct chat gives a code (valid ${BIND_CODE_VALID_MINUTES} minutes), /bind <code> on the other platform, then the same on the first account to confirm`,
    },
    example: "K7PQ2M9X",
    args: { code: arg.text({ label: { zh: "验证码", en: "code" }, optional: true }) },
    // The code is a secret: the inbox keeps the message with it redacted.
    secretWords: (typed) => typed.trim().split(/\s+/u).filter(Boolean),
    handler: async ({ args, event, actor, reply }) => {
      const account: Account = { platform: event.platform, userId: event.sender.id };
      if (args.code === undefined) {
        // Said in a group, the code would be seen by everyone there: it is given only in a direct chat.
        if (event.chat.kind !== "direct")
          return reply.text(
            "验证码只在私聊中发放: 请在与我的私聊中发送 /绑定",
            "codes are given only in a direct chat: send /bind to me in a direct chat",
          );
        const { code } = await people.requestBindCode(actor, account);
        const here = platformName(event.platform);
        return reply.text(
          `你的绑定验证码: ${code} (${BIND_CODE_VALID_MINUTES} 分钟内有效, 只能用一次)。在另一个平台 (飞书/钉钉/企业微信) 上向我发送 /绑定 ${code}; 然后我会在${here.zh}上告诉你是哪个账号, 确认无误后在这里再发送 /绑定 ${code}。不要把验证码告诉别人。`,
          `Your binding code: ${code} (valid ${BIND_CODE_VALID_MINUTES} minutes, once). Send /bind ${code} to me on your other platform (Lark/DingTalk/WeCom); I then tell you here on ${here.en} which account it was, and you confirm by sending /bind ${code} here again. Do not share the code.`,
        );
      }
      if (!CODE_FORM.test(args.code))
        throw new UserError(
          `验证码是 8 位字母和数字: ${args.code}`,
          `a code is 8 letters and digits: ${args.code}`,
        );
      const outcome = await people
        .redeemBindCode(actor, account, args.code, ({ account: claimer, name }) => {
          const where = platformName(claimer.platform);
          return {
            type: "text",
            text: `${where.zh}账号 ${name} (${claimer.userId}) 使用了你的绑定验证码。如果这是你本人, 请在这里再发送一次 /绑定 <验证码> 确认; 如果不是, 不要理会, 验证码到期作废, 什么都不会改变。\n${where.en} account ${name} (${claimer.userId}) used your binding code. If that is you, confirm by sending /bind <code> here again; if not, ignore this: the code expires and nothing changes.`,
          };
        })
        .catch(refused);
      if (outcome.kind === "claimed") {
        const first = platformName(outcome.asker.platform);
        return reply.text(
          `已收到。请回到${first.zh}上原来的账号, 再发送一次同一条 /绑定 <验证码> 确认绑定。`,
          `Got it. Now confirm on your ${first.en} account by sending the same /bind <code> there again.`,
        );
      }
      const joined = platformName(outcome.joined.platform);
      return reply.text(
        `已绑定: 你的${joined.zh}账号 (${outcome.joined.userId}) 与这个账号现在是同一个人, 角色、待办和提醒随你到各个平台。`,
        `Linked: your ${joined.en} account (${outcome.joined.userId}) and this one are now one person; roles, tasks and reminders follow you to each platform.`,
      );
    },
  });

  const unbind = defineCommand({
    id: "unbind",
    group: SETTINGS,
    names: { en: ["unbind"], zh: ["解绑"] },
    description: {
      zh: "把这个账号从绑定中分离出来 (角色、待办留在原来的人名下); 管理员可 @ 某人为其解绑",
      en: "take this account out of its linked person (roles and tasks stay with the person); admins may @mention someone",
    },
    example: { zh: "(自己) · /解绑 @王伟 (管理员)", en: "(yourself) · /unbind @Wang (admins)" },
    args: { user: arg.text({ label: { zh: "用户", en: "user" }, optional: true }) },
    handler: async ({ args, event, actor, reply }) => {
      let account: Account = { platform: event.platform, userId: event.sender.id };
      if (args.user !== undefined) {
        const named = memberOf(args.user, event);
        if (named.id !== event.sender.id && !actor.roles.includes("admin"))
          throw new UserError("只有管理员可以为别人解绑", "only admins may unbind someone else", {
            reason: "role",
            entityType: "command",
            entityId: "unbind",
          });
        account = { platform: event.platform, userId: named.id };
      }
      const { name } = await people.unbind(actor, account).catch(refused);
      const where = platformName(account.platform);
      return reply.text(
        `已解绑: ${where.zh}账号 ${name} 现在是单独的一个人 (没有角色)。`,
        `Unbound: the ${where.en} account ${name} is now a person of its own (with no roles).`,
      );
    },
  });

  return { commands: [bind, unbind], actions: [] };
}
