// The "@Name …" people written at the start of a rest-of-line argument, by the names the message's mentions carry.
import { UserError } from "../src/bot/index.ts";
import type { InboundMessage, Person } from "../src/chat/events.ts";
import type { Language } from "../src/chat/language.ts";

const AT = /^[@＠]/u;
const SPACE = /[\s\u200b\u2060]+/u;

/**
 * Consumes the leading "@Name" words of `text`: a mention's name is matched whole (names may hold spaces),
 * else the word after "@" is the name (WeCom sends no structured mentions). Returns the names and what follows.
 */
export function leadingMentions(
  text: string,
  mentions: readonly Person[],
): { names: string[]; rest: string } {
  const names: string[] = [];
  let rest = text.trim();
  while (AT.test(rest)) {
    const after = rest.slice(1);
    const known = mentions
      .map((person) => person.name)
      .filter((name): name is string => !!name && after.startsWith(name))
      .sort((a, b) => b.length - a.length)[0];
    const name = known ?? after.split(SPACE)[0] ?? "";
    if (name === "") break;
    names.push(name);
    rest = after.slice(name.length).replace(/^[\s\u200b\u2060]+/u, "");
  }
  return { names, rest };
}

/** Platform user ids as the platforms write them: Lark ou_…, DingTalk staff ids, WeCom userids. */
const USER_ID = /^[A-Za-z0-9_.@:+-]{1,128}$/;

/** The account "@name" names: the message's mention by that name, else the word as a user id (WeCom sends no mentions). */
export function accountNamed(name: string, mentions: readonly Person[]): Person | undefined {
  const mentioned = mentions.find((person) => person.name === name);
  if (mentioned) return mentioned;
  return USER_ID.test(name) ? { id: name } : undefined;
}

/**
 * The person one "@owner" word names: the mention the message carried (the only one, or the one by that name);
 * WeCom sends no mentions, so there "@userid" names the account by its user id.
 */
export function mentionedPerson(
  typed: string,
  event: InboundMessage,
  usage: (language: Language) => string,
): Person {
  if (!AT.test(typed))
    throw new UserError(
      `负责人要用 @ 提及: ${typed} — ${usage("zh")}`,
      `the owner must be an @mention: ${typed} — ${usage("en")}`,
    );
  const name = typed.slice(1);
  const only = event.mentions.length === 1 ? event.mentions[0] : undefined;
  const account = only ?? accountNamed(name, event.mentions);
  if (account) return account;
  throw new UserError(
    `无法识别 ${typed}: 这条消息没有带上提及信息; 请写 @用户ID — ${usage("zh")}`,
    `cannot tell who ${typed} is: the message carried no mention; write @userid — ${usage("en")}`,
  );
}
