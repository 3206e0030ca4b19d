// Managers' changes to areas and their checklists: each audited, and each change of items a new checklist version.
// A row a record may point at is never edited: changing an item ends its row and adds a successor, retiring it
// ends it, so an inspection made against an older version still reads its items and findings as recorded.
import { and, eq, isNull, max } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { inspectionAreas, inspectionItems } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { Refused } from "../refused.ts";
import { areaNamed } from "./areas.ts";
import type { AreaKind, ItemKind } from "./checklist.ts";

export type ChecklistRefusal =
  | { kind: "unknown_area"; area: string }
  | { kind: "area_exists"; area: string }
  | { kind: "unknown_item"; area: string; item: string }
  | { kind: "item_exists"; area: string; item: string }
  /** An area keeps at least one item: a checklist with nothing to check records nothing. */
  | { kind: "last_item"; area: string; item: string }
  | { kind: "unchanged"; area: string };

export class ChecklistRefused extends Refused<ChecklistRefusal> {
  override readonly name = "ChecklistRefused";

  constructor(refusal: ChecklistRefusal) {
    super("checklist", refusal);
  }
}

/** An item as a manager defines it: a reading within [min, max] in a unit, or a pass/fail check. */
export interface ItemSpec {
  kind: ItemKind;
  labelZh: string;
  labelEn: string;
  unit: string | null;
  min: number | null;
  max: number | null;
  safety: boolean;
}

export interface AreaSpec {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: AreaKind;
  cutoff: string;
}

type AreaRow = typeof inspectionAreas.$inferSelect;
type ItemRow = typeof inspectionItems.$inferSelect;

const AREA = "inspection_area";

/** The active area typed (code or name), its row locked for the change. */
async function lockArea(tx: Db, typed: string): Promise<AreaRow> {
  const areas = await tx.select().from(inspectionAreas).where(eq(inspectionAreas.active, true)).for("update");
  const area = areas.find((candidate) => areaNamed(candidate, typed));
  if (!area) throw new ChecklistRefused({ kind: "unknown_area", area: typed });
  return area;
}

async function currentItem(tx: Db, area: AreaRow, code: string): Promise<ItemRow | undefined> {
  const [item] = await tx
    .select()
    .from(inspectionItems)
    .where(
      and(
        eq(inspectionItems.areaId, area.id),
        eq(inspectionItems.code, code),
        isNull(inspectionItems.untilVersion),
      ),
    );
  return item;
}

const itemState = (
  row: Pick<ItemRow, "code" | "kind" | "labelZh" | "labelEn" | "unit" | "min" | "max" | "safety">,
) => ({
  code: row.code,
  kind: row.kind,
  labelZh: row.labelZh,
  labelEn: row.labelEn,
  unit: row.unit,
  min: row.min,
  max: row.max,
  safety: row.safety,
});

/** Moves the area to its next checklist version; returns it. */
async function nextVersion(tx: Db, area: AreaRow): Promise<number> {
  const version = area.version + 1;
  await tx.update(inspectionAreas).set({ version }).where(eq(inspectionAreas.id, area.id));
  return version;
}

/** The active area typed, locked, with its item `code` in force; a code not in force is refused. */
async function lockItem(
  tx: Db,
  typedArea: string,
  code: string,
): Promise<{ area: AreaRow; current: ItemRow }> {
  const area = await lockArea(tx, typedArea);
  const current = await currentItem(tx, area, code);
  if (!current) throw new ChecklistRefused({ kind: "unknown_item", area: area.code, item: code });
  return { area, current };
}

/** An item row in force from `version` on, at `position` in the list. */
async function insertItem(
  tx: Db,
  area: AreaRow,
  item: ItemSpec & { code: string; position: number },
  version: number,
): Promise<void> {
  await tx.insert(inspectionItems).values({ ...item, areaId: area.id, sinceVersion: version });
}

/** The audit row of a change to the area `code` by `actor`. */
function auditArea(
  tx: Db,
  actor: Actor,
  code: string,
  change: { action: string; before?: unknown; after: unknown },
): Promise<void> {
  return audit(tx, { ...auditedBy(actor), entityType: AREA, entityId: code, ...change });
}

/** A new area (of inspections or of the morning system check) with its first items, at version 1. */
export async function addArea(
  db: Db,
  spec: AreaSpec,
  items: readonly (ItemSpec & { code: string })[],
  actor: Actor,
): Promise<void> {
  await db.transaction(async (tx) => {
    const existing = await tx.select().from(inspectionAreas);
    if (existing.some((area) => areaNamed(area, spec.code) || areaNamed(spec, area.code)))
      throw new ChecklistRefused({ kind: "area_exists", area: spec.code });
    const [row] = await tx
      .insert(inspectionAreas)
      .values({ ...spec, version: 1, active: true })
      .returning({ id: inspectionAreas.id });
    if (!row) throw new Error(`area ${spec.code} was not stored`);
    if (items.length > 0)
      await tx
        .insert(inspectionItems)
        .values(
          items.map((item, index) => ({ ...item, areaId: row.id, position: index + 1, sinceVersion: 1 })),
        );
    await auditArea(tx, actor, spec.code, {
      action: "checklist.area_added",
      after: { ...spec, version: 1, items: items.map(itemState) },
    });
  });
}

/** Retires an area: no longer inspected nor due; its inspections stay as recorded. */
export async function retireArea(db: Db, typed: string, actor: Actor): Promise<string> {
  return db.transaction(async (tx) => {
    const area = await lockArea(tx, typed);
    await tx.update(inspectionAreas).set({ active: false }).where(eq(inspectionAreas.id, area.id));
    await auditArea(tx, actor, area.code, {
      action: "checklist.area_retired",
      before: { active: true },
      after: { active: false },
    });
    return area.code;
  });
}

/** Moves an area's daily cut-off (HH:MM, already checked by the caller). */
export async function setCutoff(db: Db, typed: string, cutoff: string, actor: Actor): Promise<string> {
  return db.transaction(async (tx) => {
    const area = await lockArea(tx, typed);
    if (area.cutoff === cutoff) throw new ChecklistRefused({ kind: "unchanged", area: area.code });
    await tx.update(inspectionAreas).set({ cutoff }).where(eq(inspectionAreas.id, area.id));
    await auditArea(tx, actor, area.code, {
      action: "checklist.cutoff_changed",
      before: { cutoff: area.cutoff },
      after: { cutoff },
    });
    return area.code;
  });
}

/** Adds an item at the end of the checklist: a new version. Returns the area code and the version. */
export async function addItem(
  db: Db,
  typedArea: string,
  code: string,
  spec: ItemSpec,
  actor: Actor,
): Promise<{ area: string; version: number }> {
  return db.transaction(async (tx) => {
    const area = await lockArea(tx, typedArea);
    if (await currentItem(tx, area, code))
      throw new ChecklistRefused({ kind: "item_exists", area: area.code, item: code });
    const [last] = await tx
      .select({ position: max(inspectionItems.position) })
      .from(inspectionItems)
      .where(eq(inspectionItems.areaId, area.id));
    const version = await nextVersion(tx, area);
    await insertItem(tx, area, { ...spec, code, position: (last?.position ?? 0) + 1 }, version);
    await auditArea(tx, actor, area.code, {
      action: "checklist.item_added",
      after: { version, item: itemState({ code, ...spec }) },
    });
    return { area: area.code, version };
  });
}

/**
 * Changes an item (its range, unit, labels or kind): the row in force ends at the new version and its successor
 * takes its place in the list. Returns the area code and the version.
 */
export async function changeItem(
  db: Db,
  typedArea: string,
  code: string,
  change: (current: ItemSpec) => ItemSpec,
  actor: Actor,
): Promise<{ area: string; version: number }> {
  return db.transaction(async (tx) => {
    const { area, current } = await lockItem(tx, typedArea, code);
    const before = itemState(current);
    const spec = change({ ...before, kind: current.kind as ItemKind });
    const after = itemState({ code, ...spec });
    if (JSON.stringify(before) === JSON.stringify(after))
      throw new ChecklistRefused({ kind: "unchanged", area: area.code });
    const version = await nextVersion(tx, area);
    await tx.update(inspectionItems).set({ untilVersion: version }).where(eq(inspectionItems.id, current.id));
    await insertItem(tx, area, { ...spec, code, position: current.position }, version);
    await auditArea(tx, actor, area.code, {
      action: "checklist.item_changed",
      before: { version: area.version, item: before },
      after: { version, item: after },
    });
    return { area: area.code, version };
  });
}

/** Retires an item from the checklist: a new version without it. Returns the area code and the version. */
export async function retireItem(
  db: Db,
  typedArea: string,
  code: string,
  actor: Actor,
): Promise<{ area: string; version: number }> {
  return db.transaction(async (tx) => {
    const { area, current } = await lockItem(tx, typedArea, code);
    const remaining = await tx.$count(
      inspectionItems,
      and(eq(inspectionItems.areaId, area.id), isNull(inspectionItems.untilVersion)),
    );
    if (remaining <= 1) throw new ChecklistRefused({ kind: "last_item", area: area.code, item: code });
    const version = await nextVersion(tx, area);
    await tx.update(inspectionItems).set({ untilVersion: version }).where(eq(inspectionItems.id, current.id));
    await auditArea(tx, actor, area.code, {
      action: "checklist.item_retired",
      before: { version: area.version, item: itemState(current) },
      after: { version },
    });
    return { area: area.code, version };
  });
}
