// A bot with the order commands over a real database and a manual clock: people with roles send text and click.
import { commandDeps } from "../../../commands/deps.ts";
import { helpCommand } from "../../../commands/help/commands.ts";
import { createOrderCommands } from "../../../commands/orders/commands.ts";
import { eventActor } from "../../../src/bot/dispatch.ts";
import { createRegistry } from "../../../src/bot/index.ts";
import { createRouter } from "../../../src/bot/router.ts";
import type { Card } from "../../../src/chat/card.ts";
import type { ChatRef, InboundAction, PlatformId } from "../../../src/chat/events.ts";
import { parseEnv } from "../../../src/config/parse-env.ts";
import type { Database } from "../../../src/db/database.ts";
import { grantRole, personForContact } from "../../../src/domain/people/people.ts";
import { hasAnyRole, type Role } from "../../../src/domain/people/role.ts";
import { createLogger } from "../../../src/log.ts";
import { createOutbox } from "../../../src/outbox/outbox.ts";
import { inboundMessage } from "../../helpers/inbound-message.ts";
import { type ManualClock, manualClock } from "../../helpers/manual-clock.ts";

export const GROUP: ChatRef = { id: "oc_sales", kind: "group", title: "Sales" };
export const OTHER_GROUP: ChatRef = { id: "oc_other", kind: "group", title: "Other" };

export interface TestPerson {
  userId: string;
  personId: number;
  name: string;
  roles: Role[];
}

export interface Where {
  chat?: ChatRef;
  platform?: PlatformId;
}

export function createOrderBot(database: Database, start: string, timezone = "Asia/Shanghai") {
  const clock: ManualClock = manualClock(start);
  const log = createLogger({ write: () => {}, now: clock.now });
  const config = parseEnv({ OPS_TIMEZONE: timezone });
  const outbox = createOutbox({ database, adapters: {}, now: clock.now, log });
  const area = createOrderCommands(commandDeps({ database, config, now: clock.now, outbox, log }));
  const registry = createRegistry({ commands: [helpCommand, ...area.commands], actions: area.actions });
  const router = createRouter({ registry, authorize: hasAnyRole, newErrorId: () => "test-error" });
  let sequence = 0;

  return {
    clock,
    registry,
    /** A person seen on Lark, holding `roles`. */
    async person(userId: string, name: string, roles: Role[] = []): Promise<TestPerson> {
      const known = await personForContact(database.db, {
        platform: "lark",
        userId,
        name,
        bootstrapAdmin: false,
        now: clock.now(),
      });
      for (const role of roles)
        await grantRole(database.db, { personId: known.personId, role, by: null, now: clock.now() });
      return { userId, personId: known.personId, name, roles };
    },
    async say(who: TestPerson, text: string, where: Where = {}) {
      sequence += 1;
      const event = inboundMessage(`om_${sequence}`, {
        platform: where.platform ?? "lark",
        dedupKey: `msg-${sequence}`,
        chat: where.chat ?? GROUP,
        sender: { id: who.userId, name: who.name },
        text,
        reply: {},
      });
      return router.handle(event, eventActor(event, who, clock.now()));
    },
    async click(
      who: TestPerson,
      actionId: string,
      value: Record<string, string>,
      where: Where & { form?: Record<string, string> } = {},
    ) {
      sequence += 1;
      const event: InboundAction = {
        kind: "action",
        platform: where.platform ?? "lark",
        dedupKey: `act-${sequence}`,
        actionId,
        value,
        form: where.form ?? {},
        operator: { id: who.userId, name: who.name },
        chat: where.chat ?? GROUP,
        message: { messageId: `om_card_${sequence}` },
      };
      return router.handle(event, eventActor(event, who, clock.now()));
    },
  };
}

export type OrderBot = ReturnType<typeof createOrderBot>;

/** The card of a reply, failing the test when the reply was text. */
export function cardOf(reply: { type: string; card?: Card; text?: string }): Card {
  if (reply.type !== "card" || !reply.card) throw new Error(`expected a card, got: ${JSON.stringify(reply)}`);
  return reply.card;
}

export function textOf(reply: { type: string; text?: string }): string {
  if (reply.type !== "text" || reply.text === undefined)
    throw new Error(`expected text, got: ${JSON.stringify(reply)}`);
  return reply.text;
}

/** A card field's value by label. */
export const fieldOf = (card: Card, label: string): string | undefined =>
  card.fields?.find((field) => field.label === label)?.value;
