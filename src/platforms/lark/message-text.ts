// Turns a Lark message's content and mentions into neutral text: bot mentions stripped, others named.
import type { Person } from "../../chat/events.ts";

export interface LarkMention {
  key: string;
  id?: { open_id?: string | undefined; user_id?: string | undefined } | undefined;
  name?: string | undefined;
  mentioned_type?: string | undefined;
}

type PostElement = { tag?: unknown; text?: unknown; user_id?: unknown };

/** Plain text of a `text` or `post` message; undefined for every other message type. */
export function messagePlainText(messageType: string, content: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  if (messageType === "text") {
    const text = (parsed as { text?: unknown }).text;
    return typeof text === "string" ? text : undefined;
  }
  if (messageType === "post") return postText(parsed as Record<string, unknown>);
  return undefined;
}

/** Received posts are `{title, content: [[element…]…]}`; sent ones nest that under a locale key. */
function postText(post: Record<string, unknown>): string | undefined {
  const body = Array.isArray(post.content)
    ? post
    : (Object.values(post).find((value) => Array.isArray((value as { content?: unknown })?.content)) as
        | Record<string, unknown>
        | undefined);
  if (!body) return undefined;
  return (body.content as unknown[])
    .map((line) => (Array.isArray(line) ? line.map((element) => postElementText(element)).join("") : ""))
    .join("\n");
}

function postElementText(element: PostElement): string {
  // In received posts an `at` element's user_id is the @_user_N placeholder, like in text messages.
  if (element.tag === "at") return typeof element.user_id === "string" ? element.user_id : "";
  if (element.tag === "text" || element.tag === "a")
    return typeof element.text === "string" ? element.text : "";
  return "";
}

type MentionRole = "bot" | "person" | "unknown";

/**
 * Whether a mention is the bot. Lark marks it with `mentioned_type` where it sends that field; otherwise,
 * when the app may read user_ids, the bot is the mention without one (bots have no user_id).
 */
function mentionRole(mention: LarkMention, all: LarkMention[]): MentionRole {
  if (mention.mentioned_type) return /^(bot|app)$/i.test(mention.mentioned_type) ? "bot" : "person";
  if (all.some((m) => m.id?.user_id)) return mention.id?.user_id ? "person" : "bot";
  return "unknown";
}

const LEADING_PLACEHOLDER = /^\s*(@_user_\d+)/;
const PLACEHOLDER = /@_user_\d+/g;

/**
 * Strips the leading @-mentions of the bot and writes every other placeholder as `@Name`. A leading
 * mention we cannot classify counts as the bot: in a group the bot only hears messages that @ it.
 */
export function resolveMentions(raw: string, mentions: LarkMention[]): { text: string; people: Person[] } {
  const byKey = new Map(mentions.map((mention) => [mention.key, mention]));
  const stripped = new Set<string>();
  let text = raw;
  for (let match = LEADING_PLACEHOLDER.exec(text); match; match = LEADING_PLACEHOLDER.exec(text)) {
    const key = match[1] as string;
    const mention = byKey.get(key);
    if (!mention || mentionRole(mention, mentions) === "person") break;
    stripped.add(key);
    text = text.slice(match[0].length);
  }
  text = text.replace(PLACEHOLDER, (key) => {
    const mention = byKey.get(key);
    return mention ? `@${mention.name ?? mention.id?.open_id ?? ""}` : key;
  });
  const people: Person[] = [];
  for (const mention of mentions) {
    const openId = mention.id?.open_id;
    if (!openId || stripped.has(mention.key) || mentionRole(mention, mentions) === "bot") continue;
    people.push(mention.name ? { id: openId, name: mention.name } : { id: openId });
  }
  return { text: text.trim(), people };
}
