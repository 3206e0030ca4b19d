// Shared set-up of the alert tests: a real database, an outbox over recording adapters, the alert buttons, fixtures.
import { commandDeps } from "../../../commands/deps.ts";
import { recordingAdapters, type Sent } from "../../helpers/recording-adapters.ts";

export type { Sent };

import { createAlertCommands } from "../../../commands/alerts/actions.ts";
import { alertNotice } from "../../../commands/alerts/cards.ts";
import { createBotHandler, type EventHandler } from "../../../src/bot/dispatch.ts";
import { createRegistry, createRouter } from "../../../src/bot/index.ts";
import type { ActionResult, Card, OutboundMessage } from "../../../src/chat/card.ts";
import type { InboundAction } from "../../../src/chat/events.ts";
import { parseEnv } from "../../../src/config/parse-env.ts";
import type { Database } from "../../../src/db/database.ts";
import { chats, complaints, orders, subscriptions } from "../../../src/db/schema/index.ts";
import { alertCalendar, type SweepSummary, sweepOverdue } from "../../../src/domain/alerts/sweep.ts";
import { complaintDeadlines } from "../../../src/domain/complaints/deadlines.ts";
import { grantRole, personForContact } from "../../../src/domain/people/people.ts";
import { hasAnyRole } from "../../../src/domain/people/role.ts";
import { silentLogger } from "../../../src/log.ts";
import { createOutbox, type Outbox } from "../../../src/outbox/outbox.ts";
import { type ManualClock, manualClock } from "../../helpers/manual-clock.ts";

export const TIMEZONE = "Asia/Shanghai";

/** Local wall-clock time in Asia/Shanghai (UTC+8, no DST) as an instant. */
export const local = (day: string, time: string): Date => new Date(`${day}T${time}:00+08:00`);

export interface Instance {
  clock: ManualClock;
  outbox: Outbox;
  handler: EventHandler;
  /** Runs the sweep as the scheduler would for the tick `at` (the clock is moved there first). */
  sweep(at: Date): Promise<SweepSummary>;
}

/** One bot process: its own outbox (rate budgets in memory) and clock, over the shared database and recorder. */
export function startInstance(database: Database, sent: Sent[], start: Date): Instance {
  const clock = manualClock(start.toISOString());
  const adapters = recordingAdapters(sent);
  const outbox = createOutbox({
    database,
    adapters,
    now: clock.now,
    log: silentLogger,
    sleep: async (ms) => clock.advance(ms),
    random: () => 0.5,
  });
  const config = parseEnv({ OPS_TIMEZONE: TIMEZONE });
  const deps = { database, config, now: clock.now, outbox, log: silentLogger };
  const router = createRouter({
    registry: createRegistry(createAlertCommands(commandDeps(deps))),
    authorize: hasAnyRole,
  });
  const handler = createBotHandler({ database, router, outbox, config, now: clock.now, log: silentLogger });
  return {
    clock,
    outbox,
    handler,
    async sweep(at) {
      clock.set(at.toISOString());
      const summary = await sweepOverdue(
        { db: database.db, outbox, timezone: TIMEZONE, draw: alertNotice },
        at,
      );
      await summary.sending;
      return summary;
    },
  };
}

export const ALERT_GROUP = { platform: "lark", chatId: "oc_alerts" } as const;

/** The managers' group subscribed to alerts, as /subscribe leaves it. */
export async function subscribeAlertGroup(database: Database, at: Date): Promise<void> {
  await database.db
    .insert(chats)
    .values({ ...ALERT_GROUP, kind: "group", createdAt: at, updatedAt: at })
    .onConflictDoNothing();
  await database.db.insert(subscriptions).values({ ...ALERT_GROUP, topic: "alerts", createdAt: at });
}

/** A person known on Lark, optionally with the manager role; returns the person id. */
export async function person(
  database: Database,
  userId: string,
  name: string,
  manager = false,
): Promise<number> {
  const now = new Date("2026-01-01T00:00:00Z");
  const known = await personForContact(database.db, {
    platform: "lark",
    userId,
    name,
    bootstrapAdmin: false,
    now,
  });
  if (manager) await grantRole(database.db, { personId: known.personId, role: "manager", by: null, now });
  return known.personId;
}

/** A complaint received at `receivedAt`, with its deadlines computed as /complaint new does. */
export async function complaintReceived(
  database: Database,
  number: string,
  receivedAt: Date,
  by: number,
): Promise<void> {
  const deadlines = complaintDeadlines(receivedAt, await alertCalendar(database.db, TIMEZONE));
  await database.db.insert(complaints).values({
    number,
    customer: "华为",
    description: "包装破损",
    status: "open",
    receivedAt,
    ...deadlines,
    platform: "lark",
    chatId: "oc_floor",
    createdBy: by,
  });
}

/** A confirmed order due on `dueDate` (and first due on `originalDueDate`). */
export async function confirmedOrder(
  database: Database,
  number: string,
  dueDate: string,
  by: number,
  originalDueDate = dueDate,
): Promise<void> {
  const at = new Date("2026-11-01T02:00:00Z");
  await database.db.insert(orders).values({
    number,
    customer: "比亚迪",
    model: "X1",
    quantity: 100,
    dueDate,
    originalDueDate,
    status: "confirmed",
    platform: "lark",
    chatId: "oc_floor",
    createdBy: by,
    createdAt: at,
    confirmedBy: by,
    confirmedAt: at,
  });
}

/** A click on an alert card's button. */
export function click(
  actionId: string,
  alertId: number,
  options: {
    userId?: string;
    name?: string;
    chatId?: string;
    chatKind?: "group" | "direct";
    eventId: string;
  },
): InboundAction {
  return {
    kind: "action",
    platform: "lark",
    dedupKey: `lark:card:${options.eventId}`,
    actionId,
    value: { id: String(alertId), lang: "en" },
    form: {},
    operator: { id: options.userId ?? "ou_li", name: options.name ?? "李雷" },
    chat: { id: options.chatId ?? ALERT_GROUP.chatId, kind: options.chatKind ?? "group" },
    message: { messageId: "om_alert" },
  };
}

export function cardOf(message: OutboundMessage | undefined): Card {
  if (message?.type !== "card") throw new Error(`expected a card, got ${JSON.stringify(message)}`);
  return message.card;
}

export const cardOfResult = (result: ActionResult): Card => {
  if (!result.card) throw new Error(`expected a card, got ${JSON.stringify(result)}`);
  return result.card;
};

/** The alert part of sent keys: `alert:<kind>:<entity>:<level>:<n>:<platform>:<chat>`. */
export const keysOf = (sent: readonly Sent[]): string[] => sent.map((item) => item.key);
