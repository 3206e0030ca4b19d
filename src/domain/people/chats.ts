// Chats the bot has seen: remembered so that scheduled pushes (digests, alerts) know where to go.
import { sql } from "drizzle-orm";
import type { ChatRef, PlatformId } from "../../chat/events.ts";
import type { Db } from "../../db/database.ts";
import { chats } from "../../db/schema/index.ts";

export async function rememberChat(db: Db, platform: PlatformId, chat: ChatRef, now: Date): Promise<void> {
  await db
    .insert(chats)
    .values({
      platform,
      chatId: chat.id,
      kind: chat.kind,
      title: chat.title ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [chats.platform, chats.chatId],
      set: { title: sql`excluded.title`, updatedAt: now },
      // Most messages come from a chat already known under the same title: then nothing is written.
      setWhere: sql`excluded.title is not null and ${chats.title} is distinct from excluded.title`,
    });
}

/** Chats remembered per process before the table is asked again; a full memory starts over. */
const CHAT_MEMORY_SIZE = 10_000;

/**
 * rememberChat that skips the database for a chat this process has already stored under the same title:
 * most messages come from a known chat, and then there is nothing to write.
 */
export function createChatMemory(db: Db) {
  const titles = new Map<string, string | null>();
  return async (platform: PlatformId, chat: ChatRef, now: Date): Promise<void> => {
    const key = `${platform}\u0000${chat.id}`;
    const title = chat.title ?? null;
    if (titles.has(key) && (title === null || titles.get(key) === title)) return;
    await rememberChat(db, platform, chat, now);
    if (titles.size >= CHAT_MEMORY_SIZE) titles.clear();
    titles.set(key, title ?? titles.get(key) ?? null);
  };
}
