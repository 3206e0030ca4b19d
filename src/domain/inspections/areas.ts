// Inspection and system areas with their current checklists, and which of them were inspected in a window.
import { and, asc, eq, gte, inArray, isNull, lt } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { inspectionAreas, inspectionItems, inspections } from "../../db/schema/index.ts";
import type { AreaKind, ChecklistItem, InspectionArea, ItemKind } from "./checklist.ts";

type AreaRow = typeof inspectionAreas.$inferSelect;

export const toChecklistItem = (row: typeof inspectionItems.$inferSelect): ChecklistItem => ({
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

/** The areas with the items of their current checklist version. */
async function withItems(db: Db, areas: readonly AreaRow[]): Promise<InspectionArea[]> {
  if (areas.length === 0) return [];
  const items = await db
    .select()
    .from(inspectionItems)
    .where(
      and(
        inArray(
          inspectionItems.areaId,
          areas.map((area) => area.id),
        ),
        isNull(inspectionItems.untilVersion),
      ),
    )
    .orderBy(asc(inspectionItems.position), asc(inspectionItems.id));
  return areas.map((area) => ({
    id: area.id,
    code: area.code,
    nameZh: area.nameZh,
    nameEn: area.nameEn,
    cutoff: area.cutoff,
    kind: area.kind as AreaKind,
    version: area.version,
    items: items.filter((item) => item.areaId === area.id).map(toChecklistItem),
  }));
}

/** The active areas of a kind (both kinds without one) with their checklists, in a stable order. */
export async function listActiveAreas(db: Db, kind?: AreaKind): Promise<InspectionArea[]> {
  const areas = await db
    .select()
    .from(inspectionAreas)
    .where(and(eq(inspectionAreas.active, true), kind ? eq(inspectionAreas.kind, kind) : undefined))
    .orderBy(asc(inspectionAreas.id));
  return withItems(db, areas);
}

const folded = (text: string): string => text.normalize("NFKC").trim().toLowerCase();

/** Whether a typed name is the area's code ("warehouse") or either of its names ("仓库", "Warehouse"). */
export const areaNamed = (area: Pick<InspectionArea, "code" | "nameZh" | "nameEn">, typed: string): boolean =>
  [area.code, area.nameZh, area.nameEn].some((name) => folded(name) === folded(typed));

/** The active area of a kind (either without one) a user named by its code or either of its names. */
export async function findActiveArea(
  db: Db,
  typed: string,
  kind?: AreaKind,
): Promise<InspectionArea | undefined> {
  const areas = await listActiveAreas(db, kind);
  return areas.find((area) => areaNamed(area, typed));
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
