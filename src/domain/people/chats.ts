// Chats the bot has seen: remembered so that scheduled pushes (digests, alerts) know where to go.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { chats } from "../../db/schema/index.ts";
import type { ChatRef, PlatformId } from "../../platforms/types.ts";

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
      set: { title: sql`coalesce(excluded.title, ${chats.title})`, updatedAt: now },
    });
}
