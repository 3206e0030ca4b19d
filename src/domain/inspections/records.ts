// Stored inspections read back whole: area, results by checklist order, who submitted them and where.
import { asc, eq } from "drizzle-orm";
import type { PlatformId } from "../../chat/events.ts";
import type { Db } from "../../db/database.ts";
import { inspectionItems, inspectionResults, inspections, people } from "../../db/schema/index.ts";
import { loadArea, toChecklistItem } from "./areas.ts";
import type { InspectionArea, ItemResult } from "./checklist.ts";

export interface InspectionRecord {
  id: number;
  /** I-YYYYMMDD-NNN. */
  number: string;
  /** The area as it is now (names, kind); its items are those of the current version. */
  area: InspectionArea;
  /** The checklist version it was filled in against. */
  checklistVersion: number;
  /** In checklist order, each with the item as it stood then (a later change or retirement leaves it so). */
  results: ItemResult[];
  findingCount: number;
  submittedAt: Date;
  submittedBy: { personId: number; name: string };
  platform: PlatformId;
  chatId: string;
}

/** The inspection with this number, or undefined. */
export async function loadInspection(db: Db, number: string): Promise<InspectionRecord | undefined> {
  const [row] = await db
    .select({ inspection: inspections, submitterName: people.displayName })
    .from(inspections)
    .innerJoin(people, eq(people.id, inspections.submittedBy))
    .where(eq(inspections.number, number));
  if (!row) return undefined;
  const { inspection } = row;
  const area = await loadArea(db, inspection.areaId);
  if (!area) throw new Error(`inspection ${number} refers to a missing area ${inspection.areaId}`);
  const stored = await db
    .select({ result: inspectionResults, item: inspectionItems })
    .from(inspectionResults)
    .innerJoin(inspectionItems, eq(inspectionItems.id, inspectionResults.itemId))
    .where(eq(inspectionResults.inspectionId, inspection.id))
    .orderBy(asc(inspectionItems.position), asc(inspectionResults.id));
  const results = stored.map(({ result, item }) => ({
    item: toChecklistItem(item),
    value: result.value,
    passed: result.passed,
  }));
  return {
    id: inspection.id,
    number: inspection.number,
    area,
    checklistVersion: inspection.checklistVersion,
    results,
    findingCount: inspection.findingCount,
    submittedAt: inspection.submittedAt,
    submittedBy: { personId: inspection.submittedBy, name: row.submitterName },
    platform: inspection.platform as PlatformId,
    chatId: inspection.chatId,
  };
}
