// Inspection areas and their checklists as seeded in the database, and which of them were inspected in a window.
import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { inspectionAreas, inspectionItems, inspections } from "../../db/schema/index.ts";
import type { ChecklistItem, InspectionArea, ItemKind } from "./checklist.ts";

const toItem = (row: typeof inspectionItems.$inferSelect): ChecklistItem => ({
  id: row.id,
  code: row.code,
  labelZh: row.labelZh,
  labelEn: row.labelEn,
  kind: row.kind as ItemKind,
  unit: row.unit,
  min: row.min,
  max: row.max,
  safety: row.safety,
});

async function withItems(db: Db, areas: (typeof inspectionAreas.$inferSelect)[]): Promise<InspectionArea[]> {
  if (areas.length === 0) return [];
  const items = await db
    .select()
    .from(inspectionItems)
    .where(
      inArray(
        inspectionItems.areaId,
        areas.map((area) => area.id),
      ),
    )
    .orderBy(asc(inspectionItems.position), asc(inspectionItems.id));
  return areas.map((area) => ({
    id: area.id,
    code: area.code,
    nameZh: area.nameZh,
    nameEn: area.nameEn,
    cutoff: area.cutoff,
    items: items.filter((item) => item.areaId === area.id).map(toItem),
  }));
}

/** The active areas with their checklists, in a stable order. */
export async function listActiveAreas(db: Db): Promise<InspectionArea[]> {
  const areas = await db
    .select()
    .from(inspectionAreas)
    .where(eq(inspectionAreas.active, true))
    .orderBy(asc(inspectionAreas.id));
  return withItems(db, areas);
}

const folded = (text: string): string => text.normalize("NFKC").trim().toLowerCase();

/** The active area a user named by its code ("warehouse") or either of its names ("仓库", "Warehouse"). */
export async function findActiveArea(db: Db, typed: string): Promise<InspectionArea | undefined> {
  const wanted = folded(typed);
  const areas = await listActiveAreas(db);
  return areas.find((area) => [area.code, area.nameZh, area.nameEn].some((name) => folded(name) === wanted));
}

/** The area of this id, active or not (an inspection stays readable after its area is retired). */
export async function loadArea(db: Db, areaId: number): Promise<InspectionArea | undefined> {
  const areas = await db.select().from(inspectionAreas).where(eq(inspectionAreas.id, areaId));
  const [area] = await withItems(db, areas);
  return area;
}

/** The latest inspection number of each area submitted in [from, to), by area id. */
export async function inspectionsInWindow(
  db: Db,
  areaIds: readonly number[],
  from: Date,
  to: Date,
): Promise<Map<number, string>> {
  if (areaIds.length === 0) return new Map();
  const rows = await db
    .select({ areaId: inspections.areaId, number: inspections.number })
    .from(inspections)
    .where(
      and(
        inArray(inspections.areaId, [...areaIds]),
        gte(inspections.submittedAt, from),
        lt(inspections.submittedAt, to),
      ),
    )
    .orderBy(asc(inspections.submittedAt), asc(inspections.id));
  return new Map(rows.map((row) => [row.areaId, row.number]));
}
