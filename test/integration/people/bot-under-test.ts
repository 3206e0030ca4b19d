// The bot handler over a real database with only the /role and /subscribe commands, its replies recorded.

import { and, asc, eq } from "drizzle-orm";
import { commandDeps } from "../../../commands/deps.ts";
import { createRoleCommands } from "../../../commands/roles/commands.ts";
import { createSubscriptionCommands } from "../../../commands/subscriptions/commands.ts";
import { createBotHandler } from "../../../src/bot/dispatch.ts";
import { createRegistry, createRouter } from "../../../src/bot/index.ts";
import type { OutboundMessage } from "../../../src/chat/card.ts";
import type { ChatRef, Person, PlatformId } from "../../../src/chat/events.ts";
import { parseEnv } from "../../../src/config/parse-env.ts";
import type { Database } from "../../../src/db/database.ts";
import { auditLog, identities } from "../../../src/db/schema/index.ts";
import { hasAnyRole } from "../../../src/domain/people/role.ts";
import { createLogger } from "../../../src/log.ts";
import type { Outbox, OutboxItem } from "../../../src/outbox/outbox.ts";
import { inboundMessage } from "../../helpers/inbound-message.ts";
import { type ManualClock, manualClock } from "../../helpers/manual-clock.ts";
import { sourceOf } from "../../helpers/rich-text.ts";

export const WECOM_API_BASE = "https://qyapi.weixin.qq.com";

export interface BotUnderTest {
  clock: ManualClock;
  logLines: string[];
  /** Sends one message as `sender` and returns the bot's reply. */
  say(sender: Person, text: string, options?: MessageOptions): Promise<OutboundMessage>;
  /** The reply as plain text (a card's title, markdown and fields joined). */
  sayText(sender: Person, text: string, options?: MessageOptions): Promise<string>;
  personIdOf(platform: PlatformId, userId: string): Promise<number | undefined>;
  auditRows(action?: string): Promise<(typeof auditLog.$inferSelect)[]>;
}

export interface MessageOptions {
  platform?: PlatformId;
  chat?: ChatRef;
  mentions?: Person[];
}

export const GROUP: ChatRef = { id: "oc_ops", kind: "group", title: "Ops" };

/** Text of a reply, whatever its form, for assertions on wording. */
export function replyText(message: OutboundMessage): string {
  if (message.type === "text") return message.text;
  const { title, markdown, fields } = message.card;
  return [title, sourceOf(markdown), ...(fields ?? []).map((field) => `${field.label}: ${field.value}`)].join(
    "\n",
  );
}

/** A bot over `database`; OPS_ADMINS as given, WeCom on (robot) so that webhooks have a configured origin. */
export function botUnderTest(database: Database, env: { OPS_ADMINS?: string } = {}): BotUnderTest {
  const clock = manualClock("2026-11-26T02:00:00Z");
  const logLines: string[] = [];
  const log = createLogger({ write: (line) => logLines.push(line), minLevel: "debug", now: clock.now });
  const config = parseEnv({
    ...env,
    WECOM_BOT_TOKEN: "token",
    WECOM_BOT_ENCODING_AES_KEY: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    WECOM_API_BASE,
  });
  const sent: OutboxItem[] = [];
  const outbox: Outbox = {
    enqueue: async (items) => {
      sent.push(...items);
      return items.map((item) => item.idempotencyKey);
    },
    deliver: async () => ({ sent: 0, retried: 0, failed: 0, deferred: 0 }),
    sendNow: async (items) => {
      sent.push(...items);
      return { settled: Promise.resolve({ sent: 0, retried: 0, failed: 0, deferred: 0 }) };
    },
    drain: async () => ({ sent: 0, retried: 0, failed: 0, deferred: 0 }),
    findSent: async () => null,
    // Nothing is ever left unsent here: every item is taken as it is handed over.
    waiting: async () => 0,
    stored: async (keys) =>
      new Set(sent.map((item) => item.idempotencyKey).filter((key) => keys.includes(key))),
    releaseLeases: async () => 0,
  };
  const deps = { database, config, now: clock.now, outbox, log };
  const bound = commandDeps(deps);
  const areas = [createSubscriptionCommands(bound), createRoleCommands(bound)];
  const router = createRouter({
    registry: createRegistry({
      commands: areas.flatMap((area) => area.commands),
      actions: areas.flatMap((area) => area.actions),
    }),
    authorize: hasAnyRole,
  });
  const handler = createBotHandler({ database, router, outbox, config, now: clock.now, log });
  let messageNumber = 0;

  async function say(sender: Person, text: string, options: MessageOptions = {}) {
    messageNumber++;
    const platform = options.platform ?? "lark";
    await handler.message(
      inboundMessage(`om_${messageNumber}`, {
        platform,
        dedupKey: `${platform}:msg:${messageNumber}`,
        chat: options.chat ?? GROUP,
        sender,
        text,
        mentions: options.mentions ?? [],
      }),
      1,
    );
    const reply = sent.at(-1);
    if (reply?.idempotencyKey !== `reply:${platform}:msg:${messageNumber}`) throw new Error("no reply");
    return reply.message;
  }

  return {
    clock,
    logLines,
    say,
    sayText: async (sender, text, options) => replyText(await say(sender, text, options)),
    async personIdOf(platform, userId) {
      const [row] = await database.db
        .select({ personId: identities.personId })
        .from(identities)
        .where(and(eq(identities.platform, platform), eq(identities.platformUserId, userId)));
      return row?.personId;
    },
    auditRows: (action) =>
      database.db
        .select()
        .from(auditLog)
        .where(action ? eq(auditLog.action, action) : undefined)
        .orderBy(asc(auditLog.id)),
  };
}
