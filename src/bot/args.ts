// Typed positional arguments: the spec a command declares, and the conversion of one typed token into a value.
import type { Person } from "../chat/events.ts";
import type { Bilingual } from "../chat/language.ts";
import type { Token } from "./tokenizer.ts";

interface ArgCommon {
  /** The noun used in messages ("数量必须是正整数", "quantity must be …"); the Chinese one is also the usage placeholder. */
  readonly label: Bilingual;
  readonly optional?: boolean;
}

export interface TextArg extends ArgCommon {
  readonly type: "text";
  /** Checked on the NFKC-normalised text (full-width letters and digits become ASCII), which is the value. */
  readonly pattern?: RegExp;
  /** A valid value, shown when the pattern does not match. */
  readonly example?: string;
  readonly default?: string;
}

export interface IntegerArg extends ArgCommon {
  readonly type: "integer";
  /** At least 1: every integer argument is a positive count, score or number. */
  readonly min?: number;
  readonly max?: number;
  readonly default?: number;
}

/** A calendar date, as "YYYY-MM-DD"; the value is that string (a date has no timezone, a deadline does). */
export interface DateArg extends ArgCommon {
  readonly type: "date";
}

export interface EnumArg<Choices extends Record<string, string> = Record<string, string>> extends ArgCommon {
  readonly type: "enum";
  /** Value → Chinese name; either is accepted. */
  readonly choices: Choices;
  readonly default?: Extract<keyof Choices, string>;
}

/** An "@Name" mention, resolved to the mentioned Person. */
export interface UserArg extends ArgCommon {
  readonly type: "user";
}

/** Everything left on the line, as typed. Must be the last argument. */
export interface RestArg extends ArgCommon {
  readonly type: "rest";
  readonly default?: string;
}

export type ArgSpec = TextArg | IntegerArg | DateArg | EnumArg | UserArg | RestArg;

/** Arguments by name, in the order they are typed. Names must not look like numbers (JS would reorder them). */
export type ArgSpecs = Readonly<Record<string, ArgSpec>>;

type BaseValue<S extends ArgSpec> = S extends IntegerArg
  ? number
  : S extends EnumArg<infer Choices>
    ? Extract<keyof Choices, string>
    : S extends UserArg
      ? Person
      : string;

type ArgValue<S extends ArgSpec> = S extends { readonly default: unknown }
  ? BaseValue<S>
  : S extends { readonly optional: true }
    ? BaseValue<S> | undefined
    : BaseValue<S>;

export type ArgValues<A extends ArgSpecs> = { -readonly [K in keyof A]: ArgValue<A[K]> };

type Options<S extends ArgSpec> = Omit<S, "type">;

/** Builders that keep the literal types (optional, default, choices) so handlers get exact argument types. */
export const arg = {
  text: <const O extends Options<TextArg>>(options: O) => ({ ...options, type: "text" }) as const,
  integer: <const O extends Options<IntegerArg>>(options: O) => ({ ...options, type: "integer" }) as const,
  date: <const O extends Options<DateArg>>(options: O) => ({ ...options, type: "date" }) as const,
  enum: <const C extends Record<string, string>, const O extends Omit<Options<EnumArg<C>>, "choices">>(
    options: O & { readonly choices: C },
  ) => ({ ...options, type: "enum" }) as const,
  user: <const O extends Options<UserArg>>(options: O) => ({ ...options, type: "user" }) as const,
  rest: <const O extends Options<RestArg>>(options: O) => ({ ...options, type: "rest" }) as const,
};

export const isOptional = (spec: ArgSpec): boolean => spec.optional === true || "default" in spec;

/** Why a typed value was refused; the words come from i18n. */
export type ValueProblem =
  | { kind: "not_positive_integer" }
  | { kind: "out_of_range"; min: number; max: number | undefined }
  | { kind: "not_date" }
  | { kind: "not_calendar_date" }
  | { kind: "not_choice" }
  | { kind: "bad_format" }
  | { kind: "not_mention" };

export type Conversion = { ok: true; value: unknown } | { ok: false; problem: ValueProblem };

/** Full-width digits, letters and punctuation (typed with a Chinese IME) to their ASCII forms. */
const ascii = (text: string): string => text.normalize("NFKC");

const DIGITS = /^\d+$/;
const DATE_FORMS = [/^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/, /^(\d{4})(年)(\d{1,2})月(\d{1,2})日?$/];

function toInteger(spec: IntegerArg, text: string): Conversion {
  const digits = ascii(text);
  const value = Number(digits);
  if (!DIGITS.test(digits) || value < 1 || !Number.isSafeInteger(value)) {
    return { ok: false, problem: { kind: "not_positive_integer" } };
  }
  const min = Math.max(1, spec.min ?? 1);
  if (value < min || (spec.max !== undefined && value > spec.max)) {
    return { ok: false, problem: { kind: "out_of_range", min, max: spec.max } };
  }
  return { ok: true, value };
}

function toDate(text: string): Conversion {
  const normalised = ascii(text);
  const parts = DATE_FORMS.map((form) => form.exec(normalised)).find((match) => match !== null);
  if (!parts) return { ok: false, problem: { kind: "not_date" } };
  const [year, month, day] = [parts[1], parts[3], parts[4]].map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, problem: { kind: "not_calendar_date" } };
  }
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

function toChoice(spec: EnumArg, text: string): Conversion {
  const typed = ascii(text).toLowerCase();
  const found = Object.entries(spec.choices).find(
    ([value, zh]) => value.toLowerCase() === typed || ascii(zh) === ascii(text),
  );
  return found ? { ok: true, value: found[0] } : { ok: false, problem: { kind: "not_choice" } };
}

function toText(spec: TextArg, text: string): Conversion {
  if (!spec.pattern) return { ok: true, value: text };
  const normalised = ascii(text);
  return spec.pattern.test(normalised)
    ? { ok: true, value: normalised }
    : { ok: false, problem: { kind: "bad_format" } };
}

/** One typed value as the argument's value; for `rest` the text is the remaining tokens as typed. */
export function convertArg(spec: ArgSpec, typed: Pick<Token, "text" | "mention">): Conversion {
  const { text } = typed;
  switch (spec.type) {
    case "text":
      return toText(spec, text);
    case "integer":
      return toInteger(spec, text);
    case "date":
      return toDate(text);
    case "enum":
      return toChoice(spec, text);
    case "user":
      return typed.mention
        ? { ok: true, value: typed.mention }
        : { ok: false, problem: { kind: "not_mention" } };
    case "rest":
      return { ok: true, value: text };
  }
}
