// One checklist's results stored (once per platform event and area), its findings alerted on a card in the
// submitter's language: the same for an area's inspection and for each system of the morning check.
import type { ChatRef } from "../../src/chat/events.ts";
import type { Language } from "../../src/chat/language.ts";
import type { Actor } from "../../src/domain/actor.ts";
import type { InspectionArea, ItemResult } from "../../src/domain/inspections/checklist.ts";
import type { InspectionRecord } from "../../src/domain/inspections/records.ts";
import type { CommandDeps } from "../deps.ts";
import { findingAlertCard } from "./cards.ts";

export interface SubmittedChecklist {
  area: InspectionArea;
  results: ItemResult[];
  actor: Actor;
  chat: ChatRef;
  language: Language;
}

export async function submitChecklist(
  deps: CommandDeps,
  { area, results, actor, chat, language }: SubmittedChecklist,
): Promise<InspectionRecord> {
  const { timezone } = deps.config;
  const { inspection } = await deps.services.inspections.submit(
    { area, results, actor, timezone, chat },
    (stored) => ({ type: "card", card: findingAlertCard(stored, language, timezone) }),
  );
  return inspection;
}
