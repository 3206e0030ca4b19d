// Stored inspections read back whole: area, results by checklist order, who submitted them and where.
import { asc, eq } from "drizzle-orm";
import type { PlatformId } from "../../chat/events.ts";
import type { Db } from "../../db/database.ts";
import { inspectionResults, inspections, people } from "../../db/schema/index.ts";
import { loadArea } from "./areas.ts";
import type { InspectionArea, ItemResult } from "./checklist.ts";

export interface InspectionRecord {
  id: number;
  /** I-YYYYMMDD-NNN. */
  number: string;
  area: InspectionArea;
  /** In checklist order. */
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
    .select()
    .from(inspectionResults)
    .where(eq(inspectionResults.inspectionId, inspection.id))
    .orderBy(asc(inspectionResults.id));
  const results = area.items.flatMap((item) => {
    const result = stored.find((candidate) => candidate.itemId === item.id);
    return result ? [{ item, value: result.value, passed: result.passed }] : [];
  });
  return {
    id: inspection.id,
    number: inspection.number,
    area,
    results,
    findingCount: inspection.findingCount,
    submittedAt: inspection.submittedAt,
    submittedBy: { personId: inspection.submittedBy, name: row.submitterName },
    platform: inspection.platform as PlatformId,
    chatId: inspection.chatId,
  };
}
