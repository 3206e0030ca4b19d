// Everything the bot can do: the registry of commands and card actions, in /help's order.
import { createRegistry, type Registry } from "../src/bot/index.ts";
import { createAlertCommands } from "./alerts/actions.ts";
import { createBindingCommands } from "./binding/commands.ts";
import { createCalendarCommands } from "./calendar/commands.ts";
import { createChecklistCommands } from "./checklists/commands.ts";
import { createComplaintCommands } from "./complaints/commands.ts";
import { commandDeps, type RuntimeDeps } from "./deps.ts";
import { createFinanceCommands } from "./finance/commands.ts";
import { helpCommand, helpLanguageAction } from "./help/commands.ts";
import { createInspectionCommands } from "./inspections/commands.ts";
import { createKpiCommands } from "./kpi/commands.ts";
import { createMaintenanceCommands } from "./maintenance/commands.ts";
import { createMeetingCommands } from "./meetings/commands.ts";
import { createOrderCommands } from "./orders/commands.ts";
import { createPlanningCommands } from "./orders/planning.ts";
import { createQualityCommands } from "./quality/commands.ts";
import { createReviewCommands } from "./review/commands.ts";
import { createRiskCommands } from "./risks/commands.ts";
import { createRoleCommands } from "./roles/commands.ts";
import { createRosterCommands } from "./roster/commands.ts";
import { createRulesCommands } from "./rules/commands.ts";
import { createSalesCommands } from "./sales/commands.ts";
import { createStockCommands } from "./stock/commands.ts";
import { createStocktakeCommands } from "./stocktake/commands.ts";
import { createSubscriptionCommands } from "./subscriptions/commands.ts";
import { createSystemCheckCommands } from "./system-check/commands.ts";
import { createTargetCommands } from "./targets/commands.ts";
import { createTaskCommands } from "./tasks/commands.ts";
import { createTrainingCommands } from "./training/commands.ts";

export function createCommandRegistry(runtime: RuntimeDeps): Registry {
  const deps = commandDeps(runtime);
  const areas = [
    { commands: [helpCommand], actions: [helpLanguageAction] },
    createOrderCommands(deps),
    createPlanningCommands(deps),
    createComplaintCommands(deps),
    createInspectionCommands(deps),
    createChecklistCommands(deps),
    createSystemCheckCommands(deps),
    createKpiCommands(deps),
    createTaskCommands(deps),
    createTargetCommands(deps),
    createRosterCommands(deps),
    createStockCommands(deps),
    createSalesCommands(deps),
    createFinanceCommands(deps),
    createMaintenanceCommands(deps),
    createRiskCommands(deps),
    createMeetingCommands(deps),
    createReviewCommands(deps),
    createTrainingCommands(deps),
    createQualityCommands(deps),
    createStocktakeCommands(deps),
    createCalendarCommands(deps),
    createSubscriptionCommands(deps),
    createRoleCommands(deps),
    createBindingCommands(deps),
    createAlertCommands(deps),
    createRulesCommands(),
  ];
  return createRegistry({
    commands: areas.flatMap((area) => area.commands),
    actions: areas.flatMap((area) => area.actions),
  });
}
