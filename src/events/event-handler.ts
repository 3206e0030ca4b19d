// What the app asks of the bot for each stored event; the bot router implements it.
import type { ActionResult } from "../chat/card.ts";
import type { InboundAction, InboundMessage } from "../chat/events.ts";

/** Work that goes on after the event is handled: the sends of its stored replies, paced to the limits. */
export interface FollowingWork {
  settled: Promise<unknown>;
}

export interface EventHandler {
  /**
   * Handles a chat message; replies go through the outbox. Resolves once the reply is stored, so that the
   * event can be marked done without waiting for the platform's send limits; the send goes on meanwhile.
   * `attempt` counts the tries of this event, from 1: a later one may follow a try that did the work but
   * died before it was marked done.
   */
  message(event: InboundMessage, attempt: number): Promise<FollowingWork>;
  /** Handles a card click or form submit and says how the card should now look. */
  action(event: InboundAction): Promise<ActionResult>;
  /**
   * Shows an action's result when the platform could not take it in the callback answer (or the
   * answer was too slow): sends the updated card through the outbox.
   */
  actionFollowUp(event: InboundAction, result: ActionResult): Promise<void>;
}
