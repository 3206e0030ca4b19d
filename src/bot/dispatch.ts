// The bot's EventHandler: who is asking (from the database), the router's answer, and the reply through the outbox.

import { and, eq, ne } from "drizzle-orm";
import type { Caller } from "../bot/command.ts";
import type { Router } from "../bot/router.ts";
import type { Denial } from "../bot/user-error.ts";
import type { OutboundMessage } from "../chat/card.ts";
import type { InboundEvent, InboundMessage, Person, Target } from "../chat/events.ts";
import { hasCjk, translator } from "../chat/language.ts";
import type { Clock } from "../clock.ts";
import type { Config } from "../config/parse-env.ts";
import type { Database } from "../db/database.ts";
import { auditLog, outbox as outboxTable } from "../db/schema/index.ts";
import { audit } from "../domain/audit.ts";
import { createChatMemory } from "../domain/people/chats.ts";
import { personForContact } from "../domain/people/people.ts";
import type { Logger } from "../log.ts";
import type { Outbox } from "../outbox/outbox.ts";
import type { EventHandler, FollowingWork } from "./event-handler.ts";

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
  const rememberChat = createChatMemory(db);
  const isBootstrapAdmin = (event: InboundEvent, person: Person) =>
    config.admins.some((admin) => admin.platform === event.platform && admin.userId === person.id);

  async function callerOf(event: InboundEvent, person: Person) {
    const at = now();
    await rememberChat(event.platform, event.chat, at);
    return personForContact(db, {
      platform: event.platform,
      userId: person.id,
      name: person.name,
      bootstrapAdmin: isBootstrapAdmin(event, person),
      now: at,
    });
  }

  /** Writes the message to the outbox under its key and starts sending it; resolves once it is stored. */
  async function sendNow(idempotencyKey: string, target: Target, message: OutboundMessage) {
    return following((await outbox.sendNow([{ idempotencyKey, target, message }])).settled);
  }

  /**
   * Sends go on after the handler returned, and the caller looks at them only after marking the event
   * done: a failure to record one (the database gone) is logged here, never left unhandled. The row keeps
   * its lease and the drain sends it later.
   */
  function following(settled: Promise<unknown>): FollowingWork {
    return {
      settled: settled.catch((error: unknown) => log.error("outbox.sending_failed", { error })),
    };
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

  /**
   * One audit row per denied event, whatever denied it (the role check, the domain, a made-up action id):
   * who, what they tried, from which platform message, and why. A click has no message id of its own; its
   * event key names the platform event.
   */
  async function auditDenial(event: InboundEvent, caller: Caller, denial: Denial, attempted?: string) {
    await audit(db, {
      at: now(),
      actorPersonId: caller.personId,
      platform: event.platform,
      platformMessageId: event.kind === "message" ? event.messageId : event.dedupKey,
      entityType: denial.entityType,
      entityId: denial.entityId,
      action: "denied",
      after: { reason: denial.reason, [event.kind === "message" ? "command" : "action"]: attempted ?? null },
    });
  }

  /** Whether the message's reply is already in the outbox: then its command ran to the end before. */
  async function replied(replyKey: string): Promise<boolean> {
    const rows = await db
      .select({ id: outboxTable.id })
      .from(outboxTable)
      .where(eq(outboxTable.idempotencyKey, replyKey))
      .limit(1);
    return rows.length > 0;
  }

  /**
   * What the message's command changed, if it ran before: every change writes its audit row in its own
   * transaction, so a row here means the change is in, even if the process died before storing the reply.
   */
  async function changedBy(event: InboundMessage) {
    const [row] = await db
      .select({ entityType: auditLog.entityType, entityId: auditLog.entityId })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.platform, event.platform),
          eq(auditLog.platformMessageId, event.messageId),
          ne(auditLog.action, "denied"),
        ),
      )
      .limit(1);
    return row;
  }

  return {
    async message(event, attempt) {
      const replyKey = `reply:${event.dedupKey}`;
      const target: Target = { kind: "reply", platform: event.platform, handle: event.reply };
      // Run again after a crash (the sweep): the command must not take effect twice. The stored reply goes
      // out (once, by its key) if it has not yet; a change made without its reply gets a note of what it
      // changed. A first try has nothing stored yet, and skips the looks.
      if (attempt > 1) {
        if (await replied(replyKey)) return following(outbox.deliver([replyKey]));
        const change = await changedBy(event);
        if (change) {
          const t = translator(hasCjk(event.text) ? "zh" : "en");
          const what = `${change.entityType} ${change.entityId}`;
          return sendNow(replyKey, target, {
            type: "text",
            text: t(`这条消息已处理过: ${what}`, `This message was already handled: ${what}`),
          });
        }
      }
      const caller = await callerOf(event, event.sender);
      const outcome = await router.handle(event, caller);
      logFailure(event, outcome, outcome.commandId);
      if (outcome.denial) await auditDenial(event, caller, outcome.denial, outcome.commandId);
      return sendNow(replyKey, target, outcome.reply);
    },

    async action(event) {
      const caller = await callerOf(event, event.operator);
      const outcome = await router.handle(event, caller);
      logFailure(event, outcome, outcome.actionId);
      if (outcome.denial) await auditDenial(event, caller, outcome.denial, outcome.actionId);
      return outcome.result;
    },

    async actionFollowUp(event, result) {
      if (result.card) {
        const sending = await sendNow(
          `update:${event.dedupKey}`,
          { kind: "update", platform: event.platform, handle: event.message },
          { type: "card", card: result.card },
        );
        await sending.settled;
      } else if (result.toast) {
        const sending = await sendNow(
          `toast:${event.dedupKey}`,
          { kind: "chat", platform: event.platform, chatId: event.chat.id, chatKind: event.chat.kind },
          { type: "text", text: result.toast.text },
        );
        await sending.settled;
      }
    },
  };
}
