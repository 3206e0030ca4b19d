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
      set: { title: sql`excluded.title`, updatedAt: now },
      // Most messages come from a chat already known under the same title: then nothing is written.
      setWhere: sql`excluded.title is not null and ${chats.title} is distinct from excluded.title`,
    });
}
