// defineCommand / defineAction: what a command or card action declares, and what its handler is given.
import type { ActionResult, Card, OutboundMessage } from "../chat/card.ts";
import type { InboundAction, InboundMessage } from "../chat/events.ts";
import type { Bilingual, Language } from "../chat/language.ts";
import type { Actor } from "../domain/actor.ts";
import type { Role } from "../domain/people/role.ts";
import { type ArgSpecs, type ArgValues, isOptional } from "./args.ts";
import type { Registry } from "./registry.ts";

interface HandlerContext {
  language: Language;
  /** Who sent the event (loaded from the database, never from a card's values), when, from which message. */
  actor: Actor;
  registry: Registry;
  /** The text in the user's language. */
  t(zh: string, en: string): string;
}

interface ReplyHelpers {
  text(zh: string, en: string): OutboundMessage;
  card(card: Card): OutboundMessage;
}

interface CommandContext<Args> extends HandlerContext {
  args: Args;
  event: InboundMessage;
  /** The command name as the user typed it ("下单", "order new"). */
  name: string;
  reply: ReplyHelpers;
}

type Reply = OutboundMessage | Promise<OutboundMessage>;

export interface CommandSpec<A extends ArgSpecs> {
  /** Stable id, e.g. "order.new"; logs and tests refer to it. */
  id: string;
  /** Names without "/"; English ones may be several words ("order new"). The first of each is the main one. */
  names: { en: readonly string[]; zh: readonly string[] };
  /** Heading /help lists the command under; commands sharing a group share this object. */
  group?: Bilingual;
  /** One line. */
  description: Bilingual;
  /**
   * The arguments of a working example ("华为 X1 100 2026-12-01"); /help puts the command name before it.
   * Give both languages when the arguments are words ({ zh: "授予 @王伟 经理", en: "grant @Wang manager" }).
   */
  example: string | Bilingual;
  /** Roles allowed to run it; empty or absent = anyone. */
  roles?: readonly Role[];
  /** Positional arguments in typing order. */
  args?: A;
  /**
   * The words of the argument text that are secrets (a group robot's webhook key): the inbox stores the
   * message with them redacted, so they rest only where the handler puts them.
   */
  secretWords?(argumentText: string): readonly string[];
  /** Runs instead of `handler` when the command comes with no argument at all (/下单 alone opens a form). */
  withoutArgs?(context: CommandContext<undefined>): Reply;
  handler(context: CommandContext<ArgValues<A>>): Reply;
}

export interface Command<A extends ArgSpecs = ArgSpecs> extends CommandSpec<A> {
  roles: readonly Role[];
  args: A;
}

export type ToastKind = NonNullable<ActionResult["toast"]>["kind"];

interface ActionContext extends HandlerContext {
  event: InboundAction;
  /** The entity the button is about (its `value.id`): reload it and re-check its state before acting. */
  id: string | undefined;
  /** Form inputs by name, for form submissions. */
  form: Record<string, string>;
  toast(kind: ToastKind, zh: string, en: string): ActionResult;
}

export interface ActionSpec {
  /** The id card buttons carry, e.g. "order.confirm". */
  id: string;
  roles?: readonly Role[];
  handler(context: ActionContext): ActionResult | Promise<ActionResult>;
}

export interface Action extends ActionSpec {
  roles: readonly Role[];
}

const normaliseName = (name: string): string => name.trim().split(/\s+/u).join(" ");

/** Throws on a spec that could never parse: positional arguments must read left to right unambiguously. */
function checkArgs(id: string, args: ArgSpecs): void {
  const specs = Object.entries(args);
  specs.forEach(([name, spec], index) => {
    if (/^\d+$/.test(name)) throw new Error(`${id}: argument name "${name}" looks like a number`);
    // A rest argument may sit before required single words ("<title…> @owner <due>"): they are read from the end.
    const after = specs.slice(index + 1).map(([, later]) => later);
    if (spec.type === "rest" && after.some((later) => later.type === "rest" || isOptional(later)))
      throw new Error(`${id}: "${name}" (rest) must be last or followed only by required single words`);
    const previous = specs[index - 1]?.[1];
    if (previous && isOptional(previous) && !isOptional(spec)) {
      throw new Error(`${id}: required argument "${name}" follows an optional one`);
    }
  });
}

export function defineCommand<const A extends ArgSpecs = Record<never, never>>(
  spec: CommandSpec<A>,
): Command<A> {
  const names = { en: spec.names.en.map(normaliseName), zh: spec.names.zh.map(normaliseName) };
  if (
    names.en.length === 0 ||
    names.zh.length === 0 ||
    [...names.en, ...names.zh].some((name) => name === "")
  ) {
    throw new Error(`${spec.id}: needs at least one English and one Chinese name`);
  }
  const args = spec.args ?? ({} as A);
  checkArgs(spec.id, args);
  return { ...spec, names, args, roles: spec.roles ?? [] };
}

export function defineAction(spec: ActionSpec): Action {
  return { ...spec, roles: spec.roles ?? [] };
}

/** The value key a card button may carry to answer its click in the language the card was shown in. */
export const LANGUAGE_KEY = "lang";

/** A button's value: the entity id and the display language; never anything that decides what is allowed. */
export const buttonValue = (id: string, language: Language): Record<string, string> => ({
  id,
  [LANGUAGE_KEY]: language,
});
