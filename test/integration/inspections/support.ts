// Shared set-up of the inspection tests: the bot handler over a real database, recording platform adapters.

import { asc, eq } from "drizzle-orm";
import { commandDeps } from "../../../commands/deps.ts";
import { createInspectionCommands } from "../../../commands/inspections/commands.ts";
import { createBotHandler, type EventHandler } from "../../../src/bot/dispatch.ts";
import { createRegistry, createRouter } from "../../../src/bot/index.ts";
import type { OutboundMessage } from "../../../src/chat/card.ts";
import type { InboundAction, InboundMessage, PlatformId } from "../../../src/chat/events.ts";
import { parseEnv } from "../../../src/config/parse-env.ts";
import type { Database } from "../../../src/db/database.ts";
import {
  auditLog,
  chats,
  findings,
  inspectionResults,
  inspections,
  outbox as outboxTable,
  subscriptions,
} from "../../../src/db/schema/index.ts";
import { hasAnyRole } from "../../../src/domain/people/role.ts";
import { silentLogger } from "../../../src/log.ts";
import { createOutbox, type Outbox } from "../../../src/outbox/outbox.ts";
import { inboundMessage } from "../../helpers/inbound-message.ts";
import { type ManualClock, manualClock } from "../../helpers/manual-clock.ts";
import { recordingAdapters, type Sent } from "../../helpers/recording-adapters.ts";

/** 09:30 on Thursday 2026-11-26 in Asia/Shanghai. */
export const START = "2026-11-26T01:30:00.000Z";

export interface Bot {
  clock: ManualClock;
  handler: EventHandler;
  outbox: Outbox;
  sent: Sent[];
}

export function createBot(database: Database, start = START): Bot {
  const clock = manualClock(start);
  const sent: Sent[] = [];
  const adapters = recordingAdapters(sent);
  const outbox = createOutbox({
    database,
    adapters,
    now: clock.now,
    log: silentLogger,
    sleep: async (ms) => clock.advance(ms),
    random: () => 0.5,
  });
  const config = parseEnv({ OPS_TIMEZONE: "Asia/Shanghai" });
  const deps = { database, config, now: clock.now, outbox, log: silentLogger };
  const area = createInspectionCommands(commandDeps(deps));
  const router = createRouter({ registry: createRegistry(area), authorize: hasAnyRole });
  const handler = createBotHandler({ database, router, outbox, config, now: clock.now, log: silentLogger });
  return { clock, handler, outbox, sent };
}

let sequence = 0;

export function message(
  text: string,
  options: { platform?: PlatformId; chatId?: string; chatKind?: "group" | "direct"; userId?: string } = {},
): InboundMessage {
  return inboundMessage(`m${++sequence}`, {
    platform: options.platform ?? "lark",
    chat: { id: options.chatId ?? "oc_floor", kind: options.chatKind ?? "group" },
    sender: { id: options.userId ?? "ou_wang", name: "王伟" },
    text,
  });
}

export const WAREHOUSE_OK = {
  temperature: "22",
  humidity: "55",
  fire_extinguisher: "pass",
  exits_clear: "pass",
  stacking_safe: "pass",
};

export const OFFICE_OK = {
  temperature: "21",
  humidity: "45",
  fire_extinguisher: "pass",
  exits_clear: "pass",
  first_aid_kit: "pass",
};

export function submission(
  form: Record<string, string>,
  options: {
    area?: string;
    lang?: "zh" | "en";
    platform?: PlatformId;
    chatId?: string;
    eventId?: string;
  } = {},
): InboundAction {
  const platform = options.platform ?? "lark";
  return {
    kind: "action",
    platform,
    dedupKey: `${platform}:card:${options.eventId ?? `ev${++sequence}`}`,
    actionId: "inspection.submit",
    value: { id: options.area ?? "warehouse", lang: options.lang ?? "zh" },
    form,
    operator: { id: "ou_wang", name: "王伟" },
    chat: { id: options.chatId ?? "oc_floor", kind: "group" },
    message: { messageId: "om_form" },
  };
}

/** A group subscribed to alerts, as /subscribe leaves it (a WeCom group with its robot's webhook). */
export async function subscribeToAlerts(
  database: Database,
  platform: PlatformId,
  chatId: string,
  webhookUrl: string | null = null,
): Promise<void> {
  const at = new Date(START);
  await database.db
    .insert(chats)
    .values({ platform, chatId, kind: "group", webhookUrl, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({ target: [chats.platform, chats.chatId], set: { webhookUrl } });
  await database.db.insert(subscriptions).values({ platform, chatId, topic: "alerts", createdAt: at });
}

export const WECOM_WEBHOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0b1f2c3d-alerts";

export async function stored(database: Database) {
  const { db } = database;
  return {
    inspections: await db.select().from(inspections).orderBy(asc(inspections.id)),
    results: await db.select().from(inspectionResults).orderBy(asc(inspectionResults.id)),
    findings: await db.select().from(findings).orderBy(asc(findings.id)),
    outbox: await db.select().from(outboxTable).orderBy(asc(outboxTable.id)),
    audit: await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityType, "inspection"))
      .orderBy(asc(auditLog.id)),
    findingAudit: await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityType, "finding"))
      .orderBy(asc(auditLog.id)),
  };
}

/** The card of a reply or an alert. */
export function cardOf(message: OutboundMessage | undefined) {
  if (message?.type !== "card") throw new Error(`expected a card, got ${JSON.stringify(message)}`);
  return message.card;
}
