// The person an "@owner" word names: the mention the message carried, or on WeCom (no mentions) the user id.
import { UserError } from "../src/bot/index.ts";
import type { InboundMessage, Person } from "../src/chat/events.ts";
import type { Language } from "../src/chat/language.ts";

const AT = /^[@＠]/u;
/** Platform user ids as the platforms write them: Lark ou_…, DingTalk staff ids, WeCom userids. */
const USER_ID = /^[A-Za-z0-9_.@:+-]{1,128}$/;

/**
 * The owner the "@owner" word names: the mention of that name the message carried (the only one, or the
 * one by that name); WeCom sends no mentions, so there "@userid" names the account by its user id.
 */
export function ownerOf(typed: string, event: InboundMessage, usage: (language: Language) => string): Person {
  if (!AT.test(typed))
    throw new UserError(
      `负责人要用 @ 提及: ${typed} — ${usage("zh")}`,
      `the owner must be an @mention: ${typed} — ${usage("en")}`,
    );
  const name = typed.slice(1);
  const mentioned =
    event.mentions.length === 1 ? event.mentions[0] : event.mentions.find((person) => person.name === name);
  if (mentioned) return mentioned;
  if (USER_ID.test(name)) return { id: name };
  throw new UserError(
    `无法识别 ${typed}: 这条消息没有带上提及信息; 请写 @用户ID — ${usage("zh")}`,
    `cannot tell who ${typed} is: the message carried no mention; write @userid — ${usage("en")}`,
  );
}
