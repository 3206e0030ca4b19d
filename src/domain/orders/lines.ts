// Production lines and their capacity (units per working day): set, listed and looked up by name; each change audited.
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { productionLines } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";

export interface ProductionLine {
  id: number;
  name: string;
  /** Units per working day. */
  capacity: number;
}

/** The name as shown: width-folded and trimmed, as typed otherwise. */
export const lineName = (typed: string): string => typed.normalize("NFKC").trim();

/** The name folded for look-ups: "Line-A", "line-a" and "ＬＩＮＥ-Ａ" are one line. */
export const lineKey = (typed: string): string => lineName(typed).toLowerCase();

const toLine = ({ id, name, capacity }: typeof productionLines.$inferSelect): ProductionLine => ({
  id,
  name,
  capacity,
});

export interface LineCapacityChange {
  line: ProductionLine;
  /** The capacity before; undefined when the line is new. */
  before?: number;
}

/** Creates a line with its capacity, or changes the capacity (and the shown name) of one that exists. */
export async function setLineCapacity(
  db: Db,
  actor: Actor,
  input: { name: string; capacity: number },
): Promise<LineCapacityChange> {
  const name = lineName(input.name);
  const key = lineKey(input.name);
  return db.transaction(async (tx) => {
    const [previous] = await tx
      .select()
      .from(productionLines)
      .where(eq(productionLines.key, key))
      .for("update");
    const change = { name, capacity: input.capacity, updatedBy: actor.personId, updatedAt: actor.at };
    const [saved] = previous
      ? await tx.update(productionLines).set(change).where(eq(productionLines.id, previous.id)).returning()
      : await tx
          .insert(productionLines)
          .values({ ...change, key, createdBy: actor.personId, createdAt: actor.at })
          .returning();
    const line = toLine(saved as typeof productionLines.$inferSelect);
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "production_line",
      entityId: key,
      action: previous ? "line.capacity_changed" : "line.created",
      before: previous ? { name: previous.name, capacity: previous.capacity } : null,
      after: { name, capacity: input.capacity },
    });
    return previous ? { line, before: previous.capacity } : { line };
  });
}

/** Every line, by name. */
export async function listLines(db: Db): Promise<ProductionLine[]> {
  const rows = await db.select().from(productionLines).orderBy(asc(productionLines.key));
  return rows.map(toLine);
}

/** The line with this name (any case or width), if there is one. */
export async function findLine(db: Db, typed: string): Promise<ProductionLine | undefined> {
  const [row] = await db
    .select()
    .from(productionLines)
    .where(eq(productionLines.key, lineKey(typed)));
  return row ? toLine(row) : undefined;
}
