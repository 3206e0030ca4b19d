// Everything the bot can do: the registry of commands and card actions, in /help's order.
import { createRegistry, type Registry } from "../src/bot/index.ts";
import { createAlertCommands } from "./alerts/actions.ts";
import { createCalendarCommands } from "./calendar/commands.ts";
import { createChecklistCommands } from "./checklists/commands.ts";
import { createComplaintCommands } from "./complaints/commands.ts";
import { commandDeps, type RuntimeDeps } from "./deps.ts";
import { helpCommand, helpLanguageAction } from "./help/commands.ts";
import { createInspectionCommands } from "./inspections/commands.ts";
import { createKpiCommands } from "./kpi/commands.ts";
import { createMaintenanceCommands } from "./maintenance/commands.ts";
import { createOrderCommands } from "./orders/commands.ts";
import { createRoleCommands } from "./roles/commands.ts";
import { createRosterCommands } from "./roster/commands.ts";
import { createRulesCommands } from "./rules/commands.ts";
import { createStockCommands } from "./stock/commands.ts";
import { createSubscriptionCommands } from "./subscriptions/commands.ts";
import { createSystemCheckCommands } from "./system-check/commands.ts";
import { createTargetCommands } from "./targets/commands.ts";
import { createTaskCommands } from "./tasks/commands.ts";

export function createCommandRegistry(runtime: RuntimeDeps): Registry {
  const deps = commandDeps(runtime);
  const areas = [
    { commands: [helpCommand], actions: [helpLanguageAction] },
    createOrderCommands(deps),
    createComplaintCommands(deps),
    createInspectionCommands(deps),
    createChecklistCommands(deps),
    createSystemCheckCommands(deps),
    createKpiCommands(deps),
    createTaskCommands(deps),
    createTargetCommands(deps),
    createRosterCommands(deps),
    createStockCommands(deps),
    createMaintenanceCommands(deps),
    createCalendarCommands(deps),
    createSubscriptionCommands(deps),
    createRoleCommands(deps),
    createAlertCommands(deps),
    createRulesCommands(),
  ];
  return createRegistry({
    commands: areas.flatMap((area) => area.commands),
    actions: areas.flatMap((area) => area.actions),
  });
}
