// The one dispatch path: an accepted event run to its stored reply. Who is asking (from the database), the
// router's answer, denials audited, the reply through the outbox; messages a few at a time, card clicks within
// the callback's deadline, and a retry after a crash that never runs a command twice.

import { and, eq, ne } from "drizzle-orm";
import type { ActionResult, OutboundMessage } from "../chat/card.ts";
import type { InboundAction, InboundEvent, InboundMessage, Person, Target } from "../chat/events.ts";
import { hasCjk, translator } from "../chat/language.ts";
import type { Clock } from "../clock.ts";
import { type Config, isBootstrapAdmin } from "../config/parse-env.ts";
import type { Database } from "../db/database.ts";
import { auditLog } from "../db/schema/index.ts";
import { type Actor, auditedBy } from "../domain/actor.ts";
import { audit } from "../domain/audit.ts";
import { createChatMemory } from "../domain/people/chats.ts";
import { createPeopleMemory } from "../domain/people/people-memory.ts";
import type { Accepted, Claim, ClaimedOnAccept, Inbox } from "../inbox/inbox.ts";
import { createProcessingQueue, type FollowingWork } from "../inbox/processing-queue.ts";
import type { Logger } from "../log.ts";
import type { Outbox } from "../outbox/outbox.ts";
import type { AcceptEvent } from "../platforms/long-connection.ts";
import type { PlatformAdapter } from "../platforms/types.ts";
import type { Router } from "./router.ts";
import type { Denial } from "./user-error.ts";

/** What the dispatcher asks of the bot for each stored event. */
export interface EventHandler {
  /**
   * Handles a chat message; replies go through the outbox. Resolves once the reply is stored, so that the
   * event can be marked done without waiting for the platform's send limits; the send goes on meanwhile.
   * `attempt` counts the tries of this event, from 1: a later one may follow a try that did the work but
   * died before it was marked done. `claim`, when the inbox runs it, lets the handler trust a remembered sender
   * and mark the event done with the stored reply.
   */
  message(event: InboundMessage, attempt: number, claim?: Claim): Promise<FollowingWork>;
  /** Handles a card click or form submit and says how the card should now look. */
  action(event: InboundAction, claim?: Claim): Promise<ActionResult>;
  /**
   * Shows an action's result when the platform could not take it in the callback answer (or the
   * answer was too slow): stores the updated card in the outbox and starts sending it; resolves once it is
   * stored. With the claim, the event is marked done in the same statement, so it is never done without it.
   */
  actionFollowUp(event: InboundAction, result: ActionResult, claim?: Claim): Promise<FollowingWork>;
}

/**
 * The actor of an event: the person the platform account belongs to, at `at`, from this event's message (a
 * click has no message id of its own; its event key names the platform event it came from).
 */
export const eventActor = (
  event: InboundEvent,
  person: Pick<Actor, "personId" | "name" | "roles">,
  at: Date,
): Actor => ({
  personId: person.personId,
  name: person.name,
  roles: person.roles,
  platform: event.platform,
  platformMessageId: event.kind === "message" ? event.messageId : event.dedupKey,
  at,
});

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
  const personFor = createPeopleMemory(db);
  /**
   * Who is asking, from memory while the directory has not changed since it was read, else from the database
   * (a bootstrap admin gets the role on first contact), and when.
   */
  async function actorOf(event: InboundEvent, account: Person, claim?: Claim): Promise<Actor> {
    const at = now();
    await rememberChat(event.platform, event.chat, at);
    const person = await personFor(
      {
        platform: event.platform,
        userId: account.id,
        name: account.name,
        bootstrapAdmin: isBootstrapAdmin(config, event.platform, account.id),
        now: at,
      },
      claim?.directoryVersion ?? null,
    );
    return eventActor(event, person, at);
  }

  /**
   * Writes the message to the outbox under its key and starts sending it; resolves once it is stored. With
   * the claim, the event is marked done in the same statement.
   */
  async function sendNow(idempotencyKey: string, target: Target, message: OutboundMessage, claim?: Claim) {
    const items = [{ idempotencyKey, target, message }];
    return following((await outbox.sendNow(items, claim?.finishWith())).settled);
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
  async function auditDenial(event: InboundEvent, actor: Actor, denial: Denial, attempted?: string) {
    await audit(db, {
      ...auditedBy(actor),
      entityType: denial.entityType,
      entityId: denial.entityId,
      action: "denied",
      after: { reason: denial.reason, [event.kind === "message" ? "command" : "action"]: attempted ?? null },
    });
  }

  /** Whether the message's reply is already in the outbox: then its command ran to the end before. */
  const replied = async (replyKey: string): Promise<boolean> =>
    (await outbox.stored([replyKey])).has(replyKey);

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
    async message(event, attempt, claim) {
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
          return sendNow(
            replyKey,
            target,
            {
              type: "text",
              text: t(`这条消息已处理过: ${what}`, `This message was already handled: ${what}`),
            },
            claim,
          );
        }
      }
      const actor = await actorOf(event, event.sender, claim);
      const outcome = await router.handle(event, actor);
      logFailure(event, outcome, outcome.commandId);
      if (outcome.denial) await auditDenial(event, actor, outcome.denial, outcome.commandId);
      return sendNow(replyKey, target, outcome.reply, claim);
    },

    async action(event, claim) {
      const actor = await actorOf(event, event.operator, claim);
      const outcome = await router.handle(event, actor);
      logFailure(event, outcome, outcome.actionId);
      if (outcome.denial) await auditDenial(event, actor, outcome.denial, outcome.actionId);
      return outcome.result;
    },

    async actionFollowUp(event, result, claim) {
      if (result.card)
        return sendNow(
          `update:${event.dedupKey}`,
          { kind: "update", platform: event.platform, handle: event.message },
          { type: "card", card: result.card },
          claim,
        );
      if (result.toast)
        return sendNow(
          `toast:${event.dedupKey}`,
          { kind: "chat", platform: event.platform, chatId: event.chat.id, chatKind: event.chat.kind },
          { type: "text", text: result.toast.text },
          claim,
        );
      return following(Promise.resolve());
    },
  };
}

export interface DispatcherDeps {
  inbox: Inbox;
  handler: EventHandler;
  /** Keeps background work alive after the response: waitUntil on Workers, a tracker on Node. */
  background: (work: Promise<unknown>) => void;
  log: Logger;
  /** How long a card click may take before we answer without the new card and update it later. */
  actionDeadlineMs?: number;
  /**
   * How many messages are processed at once after their ack, while no webhook request is being answered
   * (`idle`) and while some are (`busy`), and how many more wait in memory (`maxWaiting`); the rest wait
   * their turn in the inbox table. By default nothing new starts while a request is being answered: a burst
   * is stored and acked first and its backlog runs once the burst has passed (a burst that never ends leaves
   * the events to the inbox sweep when their leases run out).
   */
  processing?: { idle: number; busy: number; maxWaiting: number };
  /** Aborted when the server stops: running work finishes, nothing more starts. */
  signal?: AbortSignal;
}

export interface Dispatcher {
  /**
   * A verified event from a webhook, stored in the inbox. Newly stored: a message waits its turn and the ack
   * goes out at once; a click is answered with its new card when that is ready within the deadline, else acked
   * and its card updated through the outbox. A redelivery is acked, a click already done with its card again.
   */
  accept(adapter: PlatformAdapter, event: InboundEvent, ack: Response): Promise<Response>;
  /**
   * An event from a long connection: stored in the inbox under the same key as its webhook twin, then taken
   * as `accept` takes it, counted as being answered like a webhook request (its frame's ack waits on it).
   */
  acceptEvent: AcceptEvent;
  /** Answers one webhook request: while any is being answered, fewer messages are processed (acks first). */
  answering<T>(work: () => Promise<T>): Promise<T>;
  /** Runs again every event whose work did not finish (a crash after the ack, a failure). */
  sweep(): Promise<{ done: number; failed: number }>;
}

/** Events the sweep takes at a time. */
const SWEEP_BATCH = 100;

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { inbox, handler, background, log } = deps;
  const actionDeadlineMs = deps.actionDeadlineMs ?? 1500;
  const settings = deps.processing ?? { idle: 4, busy: 0, maxWaiting: 1000 };
  // Acks first: Lark and DingTalk retry an event whose ack is late, so a burst gets the event loop (and the
  // database connections) before the backlog does.
  let beingAnswered = 0;
  /** A wake-up of the processing queue is set for the turn after the last answer. */
  let wakeScheduled = false;
  const processing = createProcessingQueue({
    limit: () => (beingAnswered > 0 ? settings.busy : settings.idle),
    maxWaiting: settings.maxWaiting,
    // The reply is stored and the event done: its send waits for the platform's limits outside the slot.
    process: async (id, claimed) => {
      const outcome = await inbox.process(
        id,
        (event, attempt, claim) =>
          event.kind === "message" ? handler.message(event, attempt, claim) : Promise.resolve(undefined),
        claimed,
      );
      return outcome.status === "done" ? outcome.value : undefined;
    },
    unstarted: (count) => inbox.unstarted(count),
    background,
    ...(deps.signal ? { signal: deps.signal } : {}),
    log,
  });

  /**
   * Runs a click within the callback's deadline: its new card drawn by `answer` when ready in time (null when
   * the answer cannot carry it), else undefined and the card updated through the outbox.
   */
  async function answerAction<A>(
    id: number,
    event: InboundAction,
    answer: (action: InboundAction, result: ActionResult) => Promise<A | null>,
    claimed?: ClaimedOnAccept,
  ): Promise<A | undefined> {
    // Whichever comes first decides, once: the result in time (kept with the event, for a redelivery of the
    // click to be answered with, as the platform never got the answer) or the deadline (the result shows through
    // the outbox, and a redelivery is acked bare). A card never goes both ways.
    let decided: "answer" | "late" | undefined;
    const work = inbox.process(
      id,
      async (stored, _attempt, claim): Promise<A | undefined> => {
        const result = await handler.action(stored as InboundAction, claim);
        if (decided === undefined) {
          decided = "answer";
          const shown = await answer(event, result);
          if (shown !== null) {
            claim.keep(result);
            return shown;
          }
        }
        // Too late for the callback, or an answer that cannot carry the card: the update is stored before the
        // event is done (in the same statement), so a process that dies in between leaves it to the sweep.
        background((await handler.actionFollowUp(event, result, claim)).settled);
        return undefined;
      },
      claimed,
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => {
        if (decided !== undefined) return;
        decided = "late";
        resolve("late");
      }, actionDeadlineMs);
    });
    const outcome = await Promise.race([work, late]);
    clearTimeout(timer);
    if (outcome === "late") {
      // Too slow for the callback window: answer now; the work shows the result once it is there.
      background(work);
      return undefined;
    }
    return outcome.status === "done" ? outcome.value : undefined;
  }

  /**
   * A redelivered event: the first delivery owns the work (or the sweep does, if that one died). A click
   * already done is answered again with its card, as the platform never got the first answer.
   */
  async function again<A>(
    id: number,
    event: InboundEvent,
    answer: (action: InboundAction, result: ActionResult) => Promise<A | null>,
  ): Promise<A | undefined> {
    if (event.kind !== "action") return undefined;
    const result = (await inbox.answerOf(id)) as ActionResult | undefined;
    return result ? ((await answer(event, result)) ?? undefined) : undefined;
  }

  /**
   * Stores the event; a new one is stored claimed by this process when its work starts here soon: a click at
   * once, a message when the processing queue has room for it (else it waits in the table, unclaimed).
   */
  const store = (event: InboundEvent): Promise<Accepted> =>
    inbox.accept(event, { claim: event.kind === "action" || processing.hasRoom() });

  /** A stored event, new or again: a new message waits its turn, a new click is answered within the deadline. */
  async function stored<A>(
    { id, inserted, claimed }: Accepted,
    event: InboundEvent,
    answer: (action: InboundAction, result: ActionResult) => Promise<A | null>,
  ): Promise<A | undefined> {
    if (!inserted) return again(id, event, answer);
    if (event.kind === "action") return answerAction(id, event, answer, claimed);
    processing.add(id, claimed);
    return undefined;
  }

  async function answering<T>(work: () => Promise<T>): Promise<T> {
    beingAnswered++;
    try {
      return await work();
    } finally {
      beingAnswered--;
      // After the turn in which the answer is written out: work that waited must not go before the last ack.
      // One wake-up at a time, however many requests end before it.
      if (beingAnswered === 0 && !wakeScheduled) {
        wakeScheduled = true;
        background(
          new Promise<void>((resolve) =>
            setTimeout(() => {
              wakeScheduled = false;
              if (beingAnswered === 0) processing.wake();
              resolve();
            }, 0),
          ),
        );
      }
    }
  }

  async function sweep(): Promise<{ done: number; failed: number }> {
    const counts = { done: 0, failed: 0 };
    /** The replies' sends, paced to the limits: the sweep ends when they have, not one event at a time. */
    const sends: Promise<unknown>[] = [];
    // Batch after batch until none is full: a crash can leave far more than one batch behind, and the next
    // sweep is a minute away. Every event taken gets a new lease (done, failed or claimed elsewhere), so each
    // batch holds new ones; a batch that moved nothing ends the sweep all the same.
    for (;;) {
      const ids = await inbox.due(SWEEP_BATCH);
      const before = counts.done + counts.failed;
      for (const id of ids) {
        const outcome = await inbox.process(id, async (event, attempt, claim) => {
          if (event.kind === "message") {
            sends.push((await handler.message(event, attempt, claim)).settled);
            return;
          }
          // The click's callback answer is long gone: show the result by updating the card (through the outbox,
          // so a redelivery of the click is acked bare: its card is on its way already).
          const result = await handler.action(event, claim);
          sends.push((await handler.actionFollowUp(event, result, claim)).settled);
        });
        if (outcome.status === "done") counts.done++;
        if (outcome.status === "failed") counts.failed++;
      }
      if (ids.length < SWEEP_BATCH || counts.done + counts.failed === before) break;
    }
    await Promise.all(sends);
    if (counts.done + counts.failed > 0) log.info("inbox.swept", counts);
    return counts;
  }

  return {
    async accept(adapter, event, ack) {
      const answer = (action: InboundAction, result: ActionResult) => adapter.answerAction(action, result);
      return (await stored(await store(event), event, answer)) ?? ack;
    },
    acceptEvent: (event, answer) => answering(async () => stored(await store(event), event, answer)),
    answering,
    sweep,
  };
}
