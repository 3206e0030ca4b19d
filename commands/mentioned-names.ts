// The "@Name …" people written at the start of a rest-of-line argument, by the names the message's mentions carry.
import type { Person } from "../src/chat/events.ts";

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
