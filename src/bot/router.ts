// Runs one inbound event: parse or look up, check the role, call the handler; every outcome becomes a reply.
import type { ActionResult, Card, OutboundMessage } from "../chat/card.ts";
import type { InboundAction, InboundEvent, InboundMessage } from "../chat/events.ts";
import { type Language, translator } from "../chat/language.ts";
import type { Actor } from "../domain/actor.ts";
import type { Authorize, Role } from "../domain/people/role.ts";
import { LANGUAGE_KEY, type ToastKind } from "./command.ts";
import { strings } from "./i18n.ts";
import { formatError, parseCommand, recognisedCommand } from "./parse.ts";
import type { Registry } from "./registry.ts";
import { describeRoles } from "./role-words.ts";
import { type Denial, UserError } from "./user-error.ts";

/**
 * ok: the handler answered · invalid: not a command, unknown command or bad arguments · unknown: no such
 * action · refused: the actor is denied (the role, or a UserError carrying a denial; see `denial`) · declined:
 * the handler threw another UserError · failed: it threw anything else (see `failure`).
 */
type HandleStatus = "ok" | "invalid" | "unknown" | "refused" | "declined" | "failed";

/** An unexpected error for the caller to log; the user only saw its id. */
interface Failure {
  errorId: string;
  error: unknown;
}

interface MessageOutcome {
  kind: "message";
  status: HandleStatus;
  reply: OutboundMessage;
  commandId?: string;
  failure?: Failure;
  /** Set when the actor was denied, for the audit trail. */
  denial?: Denial;
}

interface ActionOutcome {
  kind: "action";
  status: HandleStatus;
  result: ActionResult;
  actionId: string;
  failure?: Failure;
  /** Set when the actor was denied (also for an action id no card of ours carries), for the audit trail. */
  denial?: Denial;
}

export interface Router {
  handle(event: InboundMessage, actor: Actor): Promise<MessageOutcome>;
  handle(event: InboundAction, actor: Actor): Promise<ActionOutcome>;
  handle(event: InboundEvent, actor: Actor): Promise<MessageOutcome | ActionOutcome>;
}

export interface RouterOptions {
  registry: Registry;
  /** Decides with the roles the dispatcher loaded from the database; see `hasAnyRole`. */
  authorize: Authorize;
  /** Id of an unexpected error, shown to the user so that a report can be matched with the log. */
  newErrorId?: () => string;
}

/** Cards are shown to Chinese teams; a button may carry `lang` to answer in the language of its card. */
const DEFAULT_ACTION_LANGUAGE: Language = "zh";

const randomErrorId = (): string => crypto.randomUUID().slice(0, 8);

/** A handler's run as outcome fields: its status, and the failure or denial when there is one. */
const outcomeOf = <T>({ status, failure, denial }: Ran<T>) => ({
  status,
  ...(failure && { failure }),
  ...(denial && { denial }),
});

type Ran<T> = {
  status: "ok" | "refused" | "declined" | "failed";
  value: T;
  failure?: Failure;
  denial?: Denial;
};

export function createRouter({ registry, authorize, newErrorId = randomErrorId }: RouterOptions): Router {
  const allowed = (actor: Actor, required: readonly Role[]): boolean =>
    required.length === 0 || authorize(actor.roles, required);

  /** Runs a handler; a UserError becomes its message, anything else an apology with an error id. */
  async function run<T>(
    work: () => T | Promise<T>,
    language: Language,
    answer: (text: string, kind: "warning" | "error") => T,
  ): Promise<Ran<T>> {
    try {
      return { status: "ok", value: await work() };
    } catch (error) {
      if (error instanceof UserError && error.denial)
        return { status: "refused", value: answer(error.in(language), "warning"), denial: error.denial };
      if (error instanceof UserError)
        return { status: "declined", value: answer(error.in(language), "warning") };
      const errorId = newErrorId();
      return {
        status: "failed",
        value: answer(strings(language).failed(errorId), "error"),
        failure: { errorId, error },
      };
    }
  }

  async function handleMessage(event: InboundMessage, actor: Actor): Promise<MessageOutcome> {
    const text = (value: string): OutboundMessage => ({ type: "text", text: value });
    const parsed = parseCommand(event.text, event.mentions, registry);
    const recognised = recognisedCommand(parsed);
    const base = { kind: "message", ...(recognised && { commandId: recognised.command.id }) } as const;
    // The role comes before argument errors: whoever may not run a command needs no lesson in its usage.
    if (recognised && !allowed(actor, recognised.command.roles)) {
      const words = strings(parsed.language);
      const roles = describeRoles(recognised.command.roles, parsed.language);
      const reason = `${words.notAllowed(`/${recognised.name}`)} — ${words.needsRoles(roles)}`;
      const denial: Denial = { reason: "role", entityType: "command", entityId: recognised.command.id };
      return { ...base, status: "refused", reply: text(reason), denial };
    }
    if (!parsed.ok)
      return { ...base, status: "invalid", reply: text(formatError(parsed.error, parsed.language)) };

    const { language } = parsed;
    const t = translator(language);
    const context = {
      args: parsed.args,
      language,
      name: parsed.name,
      event,
      actor,
      registry,
      t,
      reply: {
        text: (zh: string, en: string) => text(t(zh, en)),
        card: (card: Card) => ({ type: "card", card }) as const,
      },
    };
    const withoutArgs = parsed.bare ? parsed.command.withoutArgs : undefined;
    const ran = await run(
      () => (withoutArgs ? withoutArgs({ ...context, args: undefined }) : parsed.command.handler(context)),
      language,
      text,
    );
    return { ...base, ...outcomeOf(ran), reply: ran.value };
  }

  async function handleAction(event: InboundAction, actor: Actor): Promise<ActionOutcome> {
    const carried = event.value[LANGUAGE_KEY];
    const language: Language = carried === "en" || carried === "zh" ? carried : DEFAULT_ACTION_LANGUAGE;
    const words = strings(language);
    const base = { kind: "action", actionId: event.actionId } as const;
    const toast = (kind: ToastKind, text: string): ActionResult => ({
      toast: { kind, text },
    });
    const action = registry.action(event.actionId);
    if (!action) {
      // Cards carry only our own action ids: any other was made up, so it is denied, not just unknown.
      const denial: Denial = { reason: "unknown_action", entityType: "action", entityId: event.actionId };
      return {
        ...base,
        status: "unknown",
        result: toast("warning", words.unknownAction(event.actionId)),
        denial,
      };
    }
    if (!allowed(actor, action.roles)) {
      return {
        ...base,
        status: "refused",
        result: toast("error", words.needsRoles(describeRoles(action.roles, language))),
        denial: { reason: "role", entityType: "action", entityId: action.id },
      };
    }
    const t = translator(language);
    const ran = await run(
      () =>
        action.handler({
          event,
          id: event.value.id,
          form: event.form,
          language,
          actor,
          registry,
          t,
          toast: (kind, zh, en) => toast(kind, t(zh, en)),
        }),
      language,
      (text, kind) => toast(kind, text),
    );
    return { ...base, ...outcomeOf(ran), result: ran.value };
  }

  return {
    handle: ((event: InboundEvent, actor: Actor) =>
      event.kind === "message"
        ? handleMessage(event, actor)
        : handleAction(event, actor)) as Router["handle"],
  };
}
