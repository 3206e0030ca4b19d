import type { Action, Command } from "../src/bot/index.ts";
import type { CommandDeps } from "./deps.ts";

export const createOrderCommands = (_deps: CommandDeps): { commands: Command[]; actions: Action[] } => ({
  commands: [],
  actions: [],
});
