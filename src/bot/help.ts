// /help as a neutral card: every command grouped the way users scan them, or one command's usage and example.
import type { Card } from "../chat/card.ts";
import type { Bilingual, Language } from "../chat/language.ts";
import { markup, md } from "../chat/rich-text.ts";
import type { Command } from "./command.ts";
import { strings } from "./i18n.ts";
import { formatError } from "./parse.ts";
import type { Registry } from "./registry.ts";
import { describeRoles } from "./role-words.ts";
import { describeArg, usageLine } from "./usage.ts";

const other = (language: Language): Language => (language === "zh" ? "en" : "zh");

/** "/指标 · /日报 · /kpi": this language's names, then the other language's main name. */
function namesOf(command: Command, language: Language): string {
  const names = [...command.names[language], command.names[other(language)][0] as string];
  return names.map((name) => `/${name}`).join(" · ");
}

function listLine(command: Command, language: Language): string {
  const restricted = command.roles.length > 0 ? ` (${describeRoles(command.roles, language)})` : "";
  return `**${namesOf(command, language)}** — ${command.description[language]}${restricted}`;
}

/** Every command under its group heading: groups in the order of their first command, ungrouped ones last. */
function commandListCard(registry: Registry, language: Language): Card {
  const words = strings(language);
  const groups = new Map<Bilingual | undefined, Command[]>();
  for (const command of registry.commands)
    groups.set(command.group, [...(groups.get(command.group) ?? []), command]);
  const ordered = [...groups].sort(([a], [b]) => Number(a === undefined) - Number(b === undefined));
  const sections = ordered.map(([group, commands]) =>
    [
      `**${group?.[language] ?? words.otherGroup}**`,
      ...commands.map((command) => listLine(command, language)),
    ].join("\n"),
  );
  return {
    title: words.helpTitle,
    tone: "info",
    markdown: markup(sections.join("\n\n")),
    note: words.helpNote,
  };
}

const exampleIn = ({ example }: Command, language: Language): string =>
  typeof example === "string" ? example : example[language];

/** One command: what it does, its usage, each argument, an example and who may use it. */
export function commandHelpCard(command: Command, language: Language): Card {
  const words = strings(language);
  const name = command.names[language][0] as string;
  const args = Object.values(command.args);
  const fields = [
    { label: words.fieldUsage, value: usageLine(name, command.args, language) },
    ...(args.length > 0
      ? [{ label: words.fieldArgs, value: args.map((spec) => describeArg(spec, language)).join("\n") }]
      : []),
    { label: words.fieldExample, value: `/${name} ${exampleIn(command, language)}`.trim() },
    {
      label: words.fieldRoles,
      value: command.roles.length > 0 ? describeRoles(command.roles, language) : words.everyone,
    },
  ];
  return {
    title: namesOf(command, language),
    tone: "info",
    markdown: markup(command.description[language]),
    fields,
  };
}

/**
 * The /help answer: the list, or the card of the command named by `topic` ("order new", "/下单", "下单"),
 * or a warning card with the closest names when there is no such command.
 */
export function helpCard(registry: Registry, language: Language, topic?: string): Card {
  const words =
    topic
      ?.replace(/^[/／]/u, "")
      .trim()
      .split(/\s+/u)
      .filter(Boolean) ?? [];
  if (words.length === 0) return commandListCard(registry, language);
  const match = registry.match(words);
  if (match && !match.glued) return commandHelpCard(match.command, language);
  const { typed, names } = registry.suggest(words);
  return {
    title: strings(language).unknownTopicTitle,
    tone: "warning",
    markdown: md`${formatError({ kind: "unknown_command", typed: `/${typed}`, suggestions: names }, language)}`,
  };
}
