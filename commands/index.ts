// Everything the bot can do: the registry of commands and card actions, in /help's order.
import { createRegistry, type Registry } from "../src/bot/index.ts";
import { createAlertCommands } from "./alerts.ts";
import { createCalendarCommands } from "./calendar.ts";
import { createComplaintCommands } from "./complaints.ts";
import type { CommandDeps } from "./deps.ts";
import { helpCommand, helpLanguageAction } from "./help.ts";
import { createInspectionCommands } from "./inspections.ts";
import { createKpiCommands } from "./kpi.ts";
import { createOrderCommands } from "./orders.ts";
import { createRoleCommands } from "./roles.ts";
import { createSubscriptionCommands } from "./subscriptions.ts";

export function createCommandRegistry(deps: CommandDeps): Registry {
  const areas = [
    { commands: [helpCommand], actions: [helpLanguageAction] },
    createOrderCommands(deps),
    createComplaintCommands(deps),
    createInspectionCommands(deps),
    createKpiCommands(deps),
    createCalendarCommands(deps),
    createSubscriptionCommands(deps),
    createRoleCommands(deps),
    createAlertCommands(deps),
  ];
  return createRegistry({
    commands: areas.flatMap((area) => area.commands),
    actions: areas.flatMap((area) => area.actions),
  });
}
