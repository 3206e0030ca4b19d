// The command kit as commands/ uses it: define commands and actions, register them, answer /help.
export { arg } from "./args.ts";
export { type Action, buttonValue, type Command, defineAction, defineCommand } from "./command.ts";
export { commandHelpCard, helpCard } from "./help.ts";
export { parseCommand } from "./parse.ts";
export { createRegistry, type Registry } from "./registry.ts";
export { createRouter } from "./router.ts";
export { UserError } from "./user-error.ts";
