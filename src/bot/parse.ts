// Message text → a command and its typed arguments, or a typed error that formatError turns into a reply.
import type { Person } from "../chat/events.ts";
import { hasCjk, joinOr, type Language } from "../chat/language.ts";
import {
  type ArgSpec,
  type ArgSpecs,
  type ArgValues,
  convertArg,
  isOptional,
  type ValueProblem,
} from "./args.ts";
import type { Command } from "./command.ts";
import { strings } from "./i18n.ts";
import type { Registry } from "./registry.ts";
import { restOfLine, type Token, tokenize } from "./tokenizer.ts";
import { usageLine } from "./usage.ts";

/** A mistake in a recognised command; `name` is the command name as typed. */
interface CommandMistake {
  command: Command;
  name: string;
}

export type ParseError =
  | { kind: "not_a_command" }
  | { kind: "unknown_command"; typed: string; suggestions: string[] }
  | (CommandMistake & { kind: "missing_argument"; arg: string })
  | (CommandMistake & { kind: "bad_value"; arg: string; text: string; problem: ValueProblem })
  | (CommandMistake & { kind: "extra_arguments"; text: string });

export type ParseResult =
  | {
      ok: true;
      command: Command;
      name: string;
      /** Converted values by argument name: number, "YYYY-MM-DD", Person, enum value, text. */
      args: ArgValues<ArgSpecs>;
      /** No argument at all was typed and the command has `withoutArgs`. */
      bare: boolean;
      language: Language;
    }
  | { ok: false; error: ParseError; language: Language };

type ArgsOutcome = { ok: true; args: ArgValues<ArgSpecs> } | { ok: false; error: ParseError };

function parseArgs(mistake: CommandMistake, tokens: readonly Token[], source: string): ArgsOutcome {
  const args: Record<string, unknown> = {};
  let next = 0;
  const specs = Object.entries(mistake.command.args);
  for (const [index, [arg, spec]] of specs.entries()) {
    // A rest argument leaves one word for each (required, single-word) argument after it.
    const remaining = tokens.slice(
      next,
      spec.type === "rest" ? tokens.length - (specs.length - index - 1) : undefined,
    );
    const token = remaining[0];
    if (!token || (token.quoted && token.text === "" && spec.type !== "rest")) {
      if (!isOptional(spec)) return { ok: false, error: { ...mistake, kind: "missing_argument", arg } };
      args[arg] = "default" in spec ? spec.default : undefined;
      next += token ? 1 : 0;
      continue;
    }
    const typed = spec.type === "rest" ? { text: restOfLine(source, remaining) } : token;
    next += spec.type === "rest" ? remaining.length : 1;
    const converted = convertArg(spec, typed);
    if (!converted.ok) {
      return {
        ok: false,
        error: { ...mistake, kind: "bad_value", arg, text: typed.text, problem: converted.problem },
      };
    }
    args[arg] = converted.value;
  }
  if (next < tokens.length) {
    return {
      ok: false,
      error: { ...mistake, kind: "extra_arguments", text: restOfLine(source, tokens.slice(next)) },
    };
  }
  // Each value was converted by its own spec, which is what the handler's argument types promise.
  return { ok: true, args: args as ArgValues<ArgSpecs> };
}

/** The word the name was glued to ("/下单华为" → "华为") as a token of its own. */
const gluedRest = (word: Token, length: number): Token => ({
  text: word.text.slice(length),
  quoted: false,
  start: word.start + length,
  end: word.end,
});

type Matched =
  | { ok: true; command: Command; name: string; language: Language; argTokens: Token[]; source: string }
  | { ok: false; error: ParseError };

/** The command the leading words name, and the tokens after its name. */
function matchCommand(text: string, mentions: readonly Person[], registry: Registry): Matched {
  const { command: head, args: tokens, source } = tokenize(text, mentions);
  if (!head) return { ok: false, error: { kind: "not_a_command" } };
  // A quoted word is always an argument, never part of a command name.
  const nameEnd = tokens.findIndex((token) => token.quoted);
  const words = [head, ...(nameEnd === -1 ? tokens : tokens.slice(0, nameEnd))].map((token) => token.text);
  const match = registry.match(words);
  if (!match) {
    const { typed, names } = registry.suggest(words);
    return { ok: false, error: { kind: "unknown_command", typed: `/${typed}`, suggestions: names } };
  }
  const { command, name, language } = match;
  const argTokens = match.glued ? [gluedRest(head, match.glued), ...tokens] : tokens.slice(match.words - 1);
  return { ok: true, command, name, language, argTokens, source };
}

export function parseCommand(text: string, mentions: readonly Person[], registry: Registry): ParseResult {
  const matched = matchCommand(text, mentions, registry);
  if (!matched.ok) return { ok: false, error: matched.error, language: hasCjk(text) ? "zh" : "en" };
  const { command, name, language, argTokens, source } = matched;
  if (argTokens.length === 0 && command.withoutArgs) {
    return { ok: true, command, name, args: {}, bare: true, language };
  }
  const parsed = parseArgs({ command, name }, argTokens, source);
  if (!parsed.ok) return { ok: false, error: parsed.error, language };
  return { ok: true, command, name, args: parsed.args, bare: false, language };
}

/** The secrets typed into a command (its `secretWords`), whether or not its arguments parse. */
export function typedSecrets(
  text: string,
  mentions: readonly Person[],
  registry: Registry,
): readonly string[] {
  const matched = matchCommand(text, mentions, registry);
  if (!matched.ok || !matched.command.secretWords || matched.argTokens.length === 0) return [];
  return matched.command.secretWords(restOfLine(matched.source, matched.argTokens));
}

/** The command the text named, parsed or not, with the name as typed: the router checks roles on it. */
export function recognisedCommand(result: ParseResult): CommandMistake | undefined {
  if (result.ok) return { command: result.command, name: result.name };
  return "command" in result.error ? { command: result.error.command, name: result.error.name } : undefined;
}

/** The name to show in a usage line: the one typed when it is in this language, else the main one. */
const nameIn = ({ command, name }: CommandMistake, language: Language): string =>
  command.names[language].includes(name) ? name : (command.names[language][0] as string);

function problemText(problem: ValueProblem, spec: ArgSpec, language: Language): string {
  const words = strings(language);
  const label = spec.label[language];
  switch (problem.kind) {
    case "not_positive_integer":
      return words.notPositiveInteger(label);
    case "out_of_range":
      return problem.max === undefined
        ? words.belowMin(label, problem.min)
        : words.outOfRange(label, problem.min, problem.max);
    case "not_date":
      return words.notDate(label);
    case "not_calendar_date":
      return words.notCalendarDate(label);
    case "not_choice": {
      const choices = spec.type === "enum" ? spec.choices : {};
      return words.notChoice(
        label,
        joinOr(language === "zh" ? Object.values(choices) : Object.keys(choices), language),
      );
    }
    case "bad_format":
      return words.badFormat(label, spec.type === "text" ? spec.example : undefined);
    case "not_mention":
      return words.notMention(label);
  }
}

/** One line naming the mistake and, for a known command, its usage: "数量必须是正整数: abc — 用法: /下单 …". */
export function formatError(error: ParseError, language: Language): string {
  const words = strings(language);
  if (error.kind === "not_a_command") return words.notACommand;
  if (error.kind === "unknown_command") {
    const separator = language === "zh" ? "、" : ", ";
    const hint =
      error.suggestions.length > 0 ? `${words.didYouMean(error.suggestions.join(separator))} ` : "";
    return `${words.unknownCommand(error.typed)} — ${hint}${words.seeHelp}`;
  }
  const usage = `${words.usage}: ${usageLine(nameIn(error, language), error.command.args, language)}`;
  switch (error.kind) {
    case "missing_argument":
      return `${words.missing((error.command.args[error.arg] as ArgSpec).label[language])} — ${usage}`;
    case "bad_value":
      return `${problemText(error.problem, error.command.args[error.arg] as ArgSpec, language)}: ${error.text} — ${usage}`;
    case "extra_arguments":
      return `${words.extra}: ${error.text} — ${usage}`;
  }
}
