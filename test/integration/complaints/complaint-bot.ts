// The complaint and calendar commands behind the real router over a real database, with a manual clock and real people.
import { asc, eq } from "drizzle-orm";
import { createCalendarCommands } from "../../../commands/calendar/commands.ts";
import { createComplaintCommands } from "../../../commands/complaints/commands.ts";
import { commandDeps } from "../../../commands/deps.ts";
import { eventActor } from "../../../src/bot/dispatch.ts";
import { createRegistry, createRouter } from "../../../src/bot/index.ts";
import type { ActionResult, Card, OutboundMessage } from "../../../src/chat/card.ts";
import type { InboundAction, PlatformId } from "../../../src/chat/events.ts";
import { parseEnv } from "../../../src/config/parse-env.ts";
import type { Database } from "../../../src/db/database.ts";
import { auditLog, complaints } from "../../../src/db/schema/index.ts";
import { grantRole, personForContact } from "../../../src/domain/people/people.ts";
import { hasAnyRole, type Role } from "../../../src/domain/people/role.ts";
import { createLogger } from "../../../src/log.ts";
import { createOutbox } from "../../../src/outbox/outbox.ts";
import { inboundMessage } from "../../helpers/inbound-message.ts";
import { type ManualClock, manualClock } from "../../helpers/manual-clock.ts";

export const GROUP = { id: "oc_complaints", kind: "group" as const };

/** A person known to the database, with the account they write from. */
interface TestPerson {
  userId: string;
  personId: number;
  name: string;
  roles: Role[];
}

export interface ComplaintBot {
  clock: ManualClock;
  /** A person known to the database with these roles, as the router receives them. */
  person(userId: string, name: string, roles?: Role[]): Promise<TestPerson>;
  say(
    caller: TestPerson,
    text: string,
    options?: { chatId?: string; platform?: PlatformId },
  ): Promise<OutboundMessage>;
  click(
    caller: TestPerson,
    button: { action: string; value?: Record<string, string> },
    options?: { form?: Record<string, string>; chatId?: string; platform?: PlatformId },
  ): Promise<ActionResult & { status: string }>;
  row(number: string): Promise<typeof complaints.$inferSelect | undefined>;
  auditRows(number: string): Promise<(typeof auditLog.$inferSelect)[]>;
}

let sequence = 0;

export function createComplaintBot(
  database: Database,
  options: { start: string; timezone?: string },
): ComplaintBot {
  const clock = manualClock(options.start);
  const log = createLogger({ write: () => {}, now: clock.now });
  const deps = {
    database,
    config: parseEnv({ OPS_TIMEZONE: options.timezone ?? "Asia/Shanghai" }),
    now: clock.now,
    outbox: createOutbox({ database, adapters: {}, now: clock.now, log }),
    log,
  };
  const bound = commandDeps(deps);
  const router = createRouter({
    registry: createRegistry({
      commands: [...createComplaintCommands(bound).commands, ...createCalendarCommands(bound).commands],
      actions: createComplaintCommands(bound).actions,
    }),
    authorize: hasAnyRole,
  });
  const { db } = database;

  return {
    clock,
    async person(userId, name, roles = []) {
      const known = await personForContact(db, {
        platform: "lark",
        userId,
        name,
        bootstrapAdmin: false,
        now: clock.now(),
      });
      for (const role of roles)
        await grantRole(db, { personId: known.personId, role, by: null, now: clock.now() });
      return { userId, personId: known.personId, name, roles };
    },
    async say(caller, text, { chatId = GROUP.id, platform = "lark" } = {}) {
      sequence++;
      const event = inboundMessage(`msg_${sequence}`, {
        platform,
        dedupKey: `test:msg:${sequence}`,
        chat: { ...GROUP, id: chatId },
        sender: { id: caller.userId, name: caller.name },
        text,
        reply: {},
      });
      const outcome = await router.handle(event, eventActor(event, caller, clock.now()));
      if (outcome.failure) throw outcome.failure.error;
      return outcome.reply;
    },
    async click(caller, button, { form = {}, chatId = GROUP.id, platform = "lark" } = {}) {
      sequence++;
      const event: InboundAction = {
        kind: "action",
        platform,
        dedupKey: `test:click:${sequence}`,
        actionId: button.action,
        value: button.value ?? {},
        form,
        operator: { id: caller.userId, name: caller.name },
        chat: { ...GROUP, id: chatId },
        message: {},
      };
      const outcome = await router.handle(event, eventActor(event, caller, clock.now()));
      if (outcome.failure) throw outcome.failure.error;
      return { ...outcome.result, status: outcome.status };
    },
    row: async (number) => (await db.select().from(complaints).where(eq(complaints.number, number)))[0],
    auditRows: (number) =>
      db.select().from(auditLog).where(eq(auditLog.entityId, number)).orderBy(asc(auditLog.id)),
  };
}

/** The card of a reply, failing loudly when the reply was text. */
export function cardOf(reply: OutboundMessage | ActionResult): Card {
  const card = "type" in reply ? (reply.type === "card" ? reply.card : undefined) : reply.card;
  if (!card) throw new Error(`expected a card, got ${JSON.stringify(reply)}`);
  return card;
}

export function textOf(reply: OutboundMessage): string {
  if (reply.type !== "text") throw new Error(`expected text, got ${JSON.stringify(reply)}`);
  return reply.text;
}

export const field = (card: Card, label: string): string | undefined =>
  card.fields?.find((candidate) => candidate.label.startsWith(label))?.value;

export const buttonLabels = (card: Card): string[] => (card.buttons ?? []).map((button) => button.label);

export function button(card: Card, label: string) {
  const found = card.buttons?.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no button ${label} on ${JSON.stringify(card.buttons)}`);
  return found;
}

/** The complaint number in a card's title ("投诉 C-20260930-001"). */
export function numberOf(card: Card): string {
  const match = /C-\d{8}-\d{3,}/.exec(card.title);
  if (!match) throw new Error(`no complaint number in ${card.title}`);
  return match[0];
}
