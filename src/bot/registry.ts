// Commands and card actions by id, and the lookup of a typed command name (longest name first, then typos).

import { hasCjk, type Language } from "../chat/language.ts";
import type { Action, Command } from "./command.ts";
import { typoDistance } from "./suggest.ts";

interface NameEntry {
  command: Command;
  /** The registered name, e.g. "order new". */
  name: string;
  language: Language;
}

interface CommandMatch extends NameEntry {
  /** How many leading words the name used. */
  words: number;
  /**
   * Set when a Chinese name was typed without a space before the first argument ("/下单华为 …"): the name is
   * the first `glued` characters of the first word and the rest of that word is an argument.
   */
  glued?: number;
}

export interface Registry {
  /** In registration order, which is the order /help lists them. */
  readonly commands: readonly Command[];
  command(id: string): Command | undefined;
  action(id: string): Action | undefined;
  /** The command named by the leading words (case- and width-insensitive), longest name first. */
  match(words: readonly string[]): CommandMatch | undefined;
  /**
   * For words that name no command: what was typed (the first word, or two for "/order foo") and the names
   * the user probably meant ("/order new", …), closest first.
   */
  suggest(words: readonly string[]): { typed: string; names: string[] };
}

/** Full-width letters to ASCII and English to lower case, so "/ＨＥＬＰ" and "/Help" find "help". */
const fold = (word: string): string => word.normalize("NFKC").toLowerCase();

const MAX_SUGGESTIONS = 3;

export function createRegistry({
  commands,
  actions = [],
}: {
  commands: readonly Command[];
  actions?: readonly Action[];
}): Registry {
  const commandsById = new Map<string, Command>();
  const actionsById = new Map<string, Action>();
  const byName = new Map<string, NameEntry>();
  for (const command of commands) {
    if (commandsById.has(command.id)) throw new Error(`duplicate command id ${command.id}`);
    commandsById.set(command.id, command);
    for (const language of ["en", "zh"] as const) {
      for (const name of command.names[language]) {
        const key = fold(name);
        const taken = byName.get(key);
        if (taken) throw new Error(`command name "${name}" is used by ${taken.command.id} and ${command.id}`);
        byName.set(key, { command, name, language });
      }
    }
  }
  for (const action of actions) {
    if (actionsById.has(action.id)) throw new Error(`duplicate action id ${action.id}`);
    actionsById.set(action.id, action);
  }
  const entries = [...byName.entries()].map(([key, entry]) => ({ ...entry, key, parts: key.split(" ") }));
  const longestName = Math.max(1, ...entries.map((entry) => entry.parts.length));
  // Longest first, so "/投诉列表华为" is 投诉列表 + 华为 rather than 投诉 + 列表华为.
  const gluable = entries
    .filter((entry) => entry.parts.length === 1 && hasCjk(entry.name))
    .sort((a, b) => b.name.length - a.name.length);

  function match(words: readonly string[]): CommandMatch | undefined {
    const folded = words.map(fold);
    for (let count = Math.min(longestName, words.length); count >= 1; count--) {
      const entry = byName.get(folded.slice(0, count).join(" "));
      if (entry) return { ...entry, words: count };
    }
    const first = words[0] ?? "";
    const glued = gluable.find((entry) => first.length > entry.name.length && first.startsWith(entry.name));
    return (
      glued && {
        command: glued.command,
        name: glued.name,
        language: glued.language,
        words: 1,
        glued: glued.name.length,
      }
    );
  }

  function suggest(words: readonly string[]): { typed: string; names: string[] } {
    const folded = words.map(fold);
    const first = folded[0] ?? "";
    const group = entries.filter((entry) => entry.parts.length > 1 && entry.parts[0] === first);
    if (group.length > 0) {
      return { typed: words.slice(0, 2).join(" "), names: group.map((entry) => `/${entry.name}`) };
    }
    // Whole names first ("/ordr list" → /order list); failing that, first words ("/ordr" → /order …).
    const closest = (typedFor: (entry: (typeof entries)[number]) => [string, string] | undefined) =>
      entries
        .flatMap((entry, order) => {
          const pair = typedFor(entry);
          const distance = pair && typoDistance(pair[0], pair[1]);
          return distance === undefined ? [] : [{ name: `/${entry.name}`, distance, order }];
        })
        .sort((a, b) => a.distance - b.distance || a.order - b.order);
    const byWholeName = closest((entry) =>
      folded.length >= entry.parts.length
        ? [folded.slice(0, entry.parts.length).join(" "), entry.key]
        : undefined,
    );
    const scored =
      byWholeName.length > 0
        ? byWholeName
        : closest((entry) => (entry.parts.length > 1 ? [first, entry.parts[0] ?? ""] : undefined));
    return { typed: words[0] ?? "", names: scored.slice(0, MAX_SUGGESTIONS).map((entry) => entry.name) };
  }

  return {
    commands: [...commands],
    command: (id) => commandsById.get(id),
    action: (id) => actionsById.get(id),
    match,
    suggest,
  };
}
