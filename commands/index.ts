// Everything the bot can do: the registry of commands and card actions, in /help's order.
import { createRegistry, type Registry } from "../src/bot/index.ts";
import type { CommandDeps } from "./deps.ts";
import { helpCommand, helpLanguageAction } from "./help.ts";

export function createCommandRegistry(_deps: CommandDeps): Registry {
  return createRegistry({ commands: [helpCommand], actions: [helpLanguageAction] });
}
