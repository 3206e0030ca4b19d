// Which groups receive the morning digest, the alerts and the production schedule, and how to reach each one;
// every change audited.

import { and, asc, eq } from "drizzle-orm";
import type { ChatKind, ChatRef, PlatformId, Target } from "../../chat/events.ts";
import type { Language } from "../../chat/language.ts";
import type { Db } from "../../db/database.ts";
import { chats, subscriptions } from "../../db/schema/index.ts";
import { audit } from "../audit.ts";
import { rememberChat } from "../people/chats.ts";
import { maskWebhook } from "./wecom-webhook.ts";

/** "finance": the reimbursement cards finance signs or rejects. */
export const TOPICS = ["digest", "alerts", "schedule", "review", "finance"] as const;
export type Topic = (typeof TOPICS)[number];

export interface ChatSubscription {
  topic: Topic;
  /** "HH:MM" in OPS_TIMEZONE for the digest and the schedule; null for alerts and finance (at once) and the review (the procedure's time). */
  sendAt: string | null;
  /** The language the group subscribed in: its pushes speak it. */
  language: Language;
}

/** A subscribed group as the scheduler and the alert fan-out need it. */
export interface Subscriber extends ChatSubscription {
  platform: PlatformId;
  chatId: string;
  /** Where to send: the group robot's webhook when the group has one (WeCom), else the chat itself. */
  target: Target;
}

interface ChangeContext {
  by: number;
  now: Date;
  platformMessageId?: string | undefined;
}

export interface SubscribeInput extends ChangeContext {
  platform: PlatformId;
  chat: ChatRef;
  topic: Topic;
  sendAt: string | null;
  /** The language the command was typed in: the group's pushes speak it. */
  language: Language;
  /** Canonical group-robot webhook URL (see parseWeComWebhook); kept when absent. */
  webhookUrl?: string | undefined;
}

export type SubscribeOutcome = "created" | "updated" | "unchanged";

const entityId = (platform: string, chatId: string, topic: Topic) => `${platform}:${chatId}:${topic}`;

/** What an audit row keeps of a subscription: the webhook only masked, it is a secret. */
const auditState = (
  topic: Topic,
  sendAt: string | null,
  language: string,
  webhookUrl: string | null | undefined,
) => ({
  topic,
  sendAt,
  language,
  ...(webhookUrl ? { webhook: maskWebhook(webhookUrl) } : {}),
});

/** The group robot webhook stored for a chat, if any. */
export async function chatWebhook(db: Db, platform: PlatformId, chatId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ webhookUrl: chats.webhookUrl })
    .from(chats)
    .where(and(eq(chats.platform, platform), eq(chats.chatId, chatId)));
  return row?.webhookUrl ?? undefined;
}

/** Records the chat (if new) and its webhook (if given), the chat row locked; returns the webhook before and after. */
async function storeWebhook(tx: Db, input: SubscribeInput) {
  const { platform, chat, now } = input;
  const chatKey = and(eq(chats.platform, platform), eq(chats.chatId, chat.id));
  await rememberChat(tx, platform, chat, now);
  const [row] = await tx.select({ webhookUrl: chats.webhookUrl }).from(chats).where(chatKey).for("update");
  const before = row?.webhookUrl ?? null;
  const after = input.webhookUrl ?? before;
  if (after !== before) await tx.update(chats).set({ webhookUrl: after, updatedAt: now }).where(chatKey);
  return { before, after };
}

/**
 * Subscribes the chat to a topic, or changes the digest time or the webhook of an existing subscription.
 * Idempotent: the same request again changes nothing and writes no audit row.
 */
export async function subscribe(db: Db, input: SubscribeInput): Promise<SubscribeOutcome> {
  const { platform, chat, topic, sendAt, language, now } = input;
  return db.transaction(async (tx) => {
    const webhook = await storeWebhook(tx, input);
    const key = and(
      eq(subscriptions.platform, platform),
      eq(subscriptions.chatId, chat.id),
      eq(subscriptions.topic, topic),
    );
    const inserted = await tx
      .insert(subscriptions)
      .values({ platform, chatId: chat.id, topic, sendAt, language, createdBy: input.by, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: subscriptions.id });
    const change = {
      at: now,
      actorPersonId: input.by,
      platform,
      platformMessageId: input.platformMessageId,
      entityType: "subscription",
      entityId: entityId(platform, chat.id, topic),
      after: auditState(topic, sendAt, language, webhook.after),
    };
    if (inserted.length > 0) {
      await audit(tx, { ...change, action: "subscription.created" });
      return "created";
    }
    const [existing] = await tx
      .select({ sendAt: subscriptions.sendAt, language: subscriptions.language })
      .from(subscriptions)
      .where(key)
      .for("update");
    const sendAtBefore = existing?.sendAt ?? null;
    const languageBefore = existing?.language ?? language;
    const settingsChanged = sendAtBefore !== sendAt || languageBefore !== language;
    if (!settingsChanged && webhook.after === webhook.before) return "unchanged";
    if (settingsChanged) await tx.update(subscriptions).set({ sendAt, language }).where(key);
    await audit(tx, {
      ...change,
      action: "subscription.updated",
      before: auditState(topic, sendAtBefore, languageBefore, webhook.before),
    });
    return "updated";
  });
}

/** Ends the chat's subscription to a topic; false when there was none. The chat keeps its webhook. */
export async function unsubscribe(
  db: Db,
  input: ChangeContext & { platform: PlatformId; chatId: string; topic: Topic },
): Promise<boolean> {
  const { platform, chatId, topic } = input;
  return db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(subscriptions)
      .where(
        and(
          eq(subscriptions.platform, platform),
          eq(subscriptions.chatId, chatId),
          eq(subscriptions.topic, topic),
        ),
      )
      .returning({ sendAt: subscriptions.sendAt, language: subscriptions.language });
    if (!removed) return false;
    await audit(tx, {
      at: input.now,
      actorPersonId: input.by,
      platform,
      platformMessageId: input.platformMessageId,
      entityType: "subscription",
      entityId: entityId(platform, chatId, topic),
      action: "subscription.removed",
      before: auditState(topic, removed.sendAt, removed.language, undefined),
      after: null,
    });
    return true;
  });
}

/** What one chat receives, digest first. */
export async function chatSubscriptions(
  db: Db,
  platform: PlatformId,
  chatId: string,
): Promise<ChatSubscription[]> {
  const rows = await db
    .select({ topic: subscriptions.topic, sendAt: subscriptions.sendAt, language: subscriptions.language })
    .from(subscriptions)
    .where(and(eq(subscriptions.platform, platform), eq(subscriptions.chatId, chatId)));
  return TOPICS.flatMap((topic) =>
    rows
      .filter((row) => row.topic === topic)
      .map((row) => ({ topic, sendAt: row.sendAt, language: languageOf(row.language) })),
  );
}

/** A stored language; rows are written only by subscribe(), so anything else is the default Chinese. */
const languageOf = (stored: string): Language => (stored === "en" ? "en" : "zh");

function targetOf(
  platform: PlatformId,
  chatId: string,
  kind: string | null,
  webhookUrl: string | null,
): Target {
  if (webhookUrl) return { kind: "webhook", platform, chatId };
  const chatKind: ChatKind = kind === "direct" ? "direct" : "group";
  return { kind: "chat", platform, chatId, chatKind };
}

/**
 * Every chat subscribed to a topic with the target to send to, in a stable order: the digest job and the
 * alert fan-out read this.
 */
export async function listSubscriptions(db: Db, topic: Topic): Promise<Subscriber[]> {
  const rows = await db
    .select({
      platform: subscriptions.platform,
      chatId: subscriptions.chatId,
      sendAt: subscriptions.sendAt,
      language: subscriptions.language,
      kind: chats.kind,
      webhookUrl: chats.webhookUrl,
    })
    .from(subscriptions)
    .leftJoin(chats, and(eq(chats.platform, subscriptions.platform), eq(chats.chatId, subscriptions.chatId)))
    .where(eq(subscriptions.topic, topic))
    .orderBy(asc(subscriptions.platform), asc(subscriptions.chatId));
  return rows.map((row) => {
    // Rows are only written by subscribe(), with a platform the bot heard from.
    const platform = row.platform as PlatformId;
    return {
      platform,
      chatId: row.chatId,
      topic,
      sendAt: row.sendAt,
      language: languageOf(row.language),
      target: targetOf(platform, row.chatId, row.kind, row.webhookUrl),
    };
  });
}
