// The bot's EventHandler: who is asking (from the database), the router's answer, and the reply through the outbox.
import type { Router } from "../bot/router.ts";
import type { Clock } from "../clock.ts";
import type { Config } from "../config/parse-env.ts";
import type { Database } from "../db/database.ts";
import { rememberChat } from "../domain/people/chats.ts";
import { personForContact } from "../domain/people/people.ts";
import type { Logger } from "../log.ts";
import type { Outbox } from "../outbox/outbox.ts";
import type { InboundEvent, OutboundMessage, Person, Target } from "../platforms/types.ts";
import type { EventHandler } from "./event-handler.ts";

export interface BotHandlerDeps {
  database: Database;
  router: Router;
  outbox: Outbox;
  config: Config;
  now: Clock;
  log: Logger;
}

export function createBotHandler({
  database,
  router,
  outbox,
  config,
  now,
  log,
}: BotHandlerDeps): EventHandler {
  const { db } = database;
  const isBootstrapAdmin = (event: InboundEvent, person: Person) =>
    config.admins.some((admin) => admin.platform === event.platform && admin.userId === person.id);

  async function callerOf(event: InboundEvent, person: Person) {
    const at = now();
    await rememberChat(db, event.platform, event.chat, at);
    return personForContact(db, {
      platform: event.platform,
      userId: person.id,
      name: person.name,
      bootstrapAdmin: isBootstrapAdmin(event, person),
      now: at,
    });
  }

  /** Writes the message to the outbox under its key and sends it at once. */
  async function sendNow(idempotencyKey: string, target: Target, message: OutboundMessage) {
    await outbox.enqueue([{ idempotencyKey, target, message }]);
    await outbox.deliver([idempotencyKey]);
  }

  function logFailure(
    event: InboundEvent,
    outcome: { failure?: { errorId: string; error: unknown } },
    id?: string,
  ) {
    if (!outcome.failure) return;
    log.error("handler.failed", {
      errorId: outcome.failure.errorId,
      handler: id,
      platform: event.platform,
      event: event.dedupKey,
      error: outcome.failure.error,
    });
  }

  return {
    async message(event) {
      const caller = await callerOf(event, event.sender);
      const outcome = await router.handle(event, caller);
      logFailure(event, outcome, outcome.commandId);
      await sendNow(
        `reply:${event.dedupKey}`,
        { kind: "reply", platform: event.platform, handle: event.reply },
        outcome.reply,
      );
    },

    async action(event) {
      const caller = await callerOf(event, event.operator);
      const outcome = await router.handle(event, caller);
      logFailure(event, outcome, outcome.actionId);
      return outcome.result;
    },

    async actionFollowUp(event, result) {
      if (result.card) {
        await sendNow(
          `update:${event.dedupKey}`,
          { kind: "update", platform: event.platform, handle: event.message },
          { type: "card", card: result.card },
        );
      } else if (result.toast) {
        await sendNow(
          `toast:${event.dedupKey}`,
          { kind: "chat", platform: event.platform, chatId: event.chat.id, chatKind: event.chat.kind },
          { type: "text", text: result.toast.text },
        );
      }
    },
  };
}
