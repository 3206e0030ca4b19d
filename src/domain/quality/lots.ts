// Lots and their sampling: declare a lot of an order, record sampling results, release it once its sample is met.
import { and, asc, desc, eq, ne } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { lotSamples, lots, orders } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import { nextNumber } from "../numbering.ts";
import { QualityRefused } from "./refusal.ts";
import { defectsOverLimit, requiredSample } from "./sample.ts";

export type LotStatus = "open" | "released" | "rejected";
type DecidedStatus = Exclude<LotStatus, "open">;

/** A lot as the cards show it, with its order. */
export interface Lot {
  number: string;
  orderNumber: string;
  customer: string;
  model: string;
  size: number;
  requiredSample: number;
  sampled: number;
  defects: number;
  status: LotStatus;
  sampleMet: boolean;
}

type LotRow = typeof lots.$inferSelect;

/** Lot and order numbers are matched without regard to case or width. */
const normaliseNumber = (typed: string): string => typed.normalize("NFKC").trim().toUpperCase();

const lotColumns = {
  lot: lots,
  orderNumber: orders.number,
  customer: orders.customer,
  model: orders.model,
};

function toLot({
  lot,
  ...order
}: {
  lot: LotRow;
  orderNumber: string;
  customer: string;
  model: string;
}): Lot {
  return {
    number: lot.number,
    ...order,
    size: lot.size,
    requiredSample: lot.requiredSample,
    sampled: lot.sampled,
    defects: lot.defects,
    status: lot.status as LotStatus,
    sampleMet: lot.sampled >= lot.requiredSample,
  };
}

async function lockedLot(tx: Db, typed: string) {
  const number = normaliseNumber(typed);
  const [row] = await tx
    .select(lotColumns)
    .from(lots)
    .innerJoin(orders, eq(orders.id, lots.orderId))
    .where(eq(lots.number, number))
    .for("update", { of: lots });
  if (!row) throw new QualityRefused({ kind: "unknown_lot", number });
  return row;
}

export async function findLot(db: Db, typed: string): Promise<Lot | undefined> {
  const [row] = await db
    .select(lotColumns)
    .from(lots)
    .innerJoin(orders, eq(orders.id, lots.orderId))
    .where(eq(lots.number, normaliseNumber(typed)));
  return row && toLot(row);
}

/** The lots still open (sampling or waiting for release), oldest first, then the last decided ones. */
export async function listLots(db: Db, { limit }: { limit: number }): Promise<Lot[]> {
  const [open, decided] = await Promise.all([
    db
      .select(lotColumns)
      .from(lots)
      .innerJoin(orders, eq(orders.id, lots.orderId))
      .where(eq(lots.status, "open"))
      .orderBy(asc(lots.id))
      .limit(limit),
    db
      .select(lotColumns)
      .from(lots)
      .innerJoin(orders, eq(orders.id, lots.orderId))
      .where(ne(lots.status, "open"))
      .orderBy(desc(lots.decidedAt))
      .limit(limit),
  ]);
  return [...open, ...decided].slice(0, limit).map(toLot);
}

/** Declares a lot of a confirmed order; its required sample is fixed now from its size. */
export async function createLot(
  db: Db,
  actor: Actor,
  input: { orderNumber: string; size: number },
  timezone: string,
): Promise<Lot> {
  const orderNumber = normaliseNumber(input.orderNumber);
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.number, orderNumber));
    if (!order) throw new QualityRefused({ kind: "unknown_order", number: orderNumber });
    if (order.status !== "confirmed")
      throw new QualityRefused({
        kind: "order_not_in_production",
        number: orderNumber,
        status: order.status,
      });
    const number = await nextNumber(tx, "L", actor.at, timezone);
    const [row] = await tx
      .insert(lots)
      .values({
        number,
        orderId: order.id,
        size: input.size,
        requiredSample: requiredSample(input.size),
        createdAt: actor.at,
        createdBy: actor.personId,
      })
      .returning();
    const lot = row as LotRow;
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "lot",
      entityId: number,
      action: "lot.created",
      after: { order: orderNumber, size: lot.size, requiredSample: lot.requiredSample },
    });
    return toLot({ lot, orderNumber, customer: order.customer, model: order.model });
  });
}

export interface SampleInput {
  lotNumber: string;
  sampled: number;
  defects: number;
  note?: string | undefined;
}

/** A recorded result and what it did: `rejected` when it met the sample with the defects over the limit. */
export interface SampleOutcome {
  lot: Lot;
  rejected: boolean;
}

/**
 * Adds one sampling result to the lot's totals. Once the sampled total meets the required sample, the lot is
 * judged on all its results together: defects over DEFECT_LIMIT_PERCENT of the sampled reject it (a finding,
 * alerted by the sweep); a rejected lot takes no more results, so later sampling cannot dilute its defects.
 */
export async function recordSample(db: Db, actor: Actor, input: SampleInput): Promise<SampleOutcome> {
  if (input.defects > input.sampled)
    throw new QualityRefused({
      kind: "defects_over_sampled",
      sampled: input.sampled,
      defects: input.defects,
    });
  return db.transaction(async (tx) => {
    const current = await lockedLot(tx, input.lotNumber);
    const { lot } = current;
    if (lot.status !== "open")
      throw new QualityRefused({
        kind: "lot_decided",
        number: lot.number,
        status: lot.status as DecidedStatus,
      });
    const sampled = lot.sampled + input.sampled;
    if (sampled > lot.size)
      throw new QualityRefused({
        kind: "sampled_over_size",
        number: lot.number,
        size: lot.size,
        sampled: lot.sampled,
        adding: input.sampled,
      });
    const defects = lot.defects + input.defects;
    const met = sampled >= lot.requiredSample;
    const rejected = met && defectsOverLimit(defects, sampled);
    const [updated] = await tx
      .update(lots)
      .set({
        sampled,
        defects,
        sampleMetAt: lot.sampleMetAt ?? (met ? actor.at : null),
        ...(rejected ? { status: "rejected", decidedAt: actor.at, decidedBy: actor.personId } : {}),
      })
      .where(eq(lots.id, lot.id))
      .returning();
    await tx.insert(lotSamples).values({
      lotId: lot.id,
      sampled: input.sampled,
      defects: input.defects,
      note: input.note ?? null,
      at: actor.at,
      personId: actor.personId,
    });
    const stamp = auditedBy(actor);
    await audit(tx, {
      ...stamp,
      entityType: "lot",
      entityId: lot.number,
      action: "lot.sampled",
      before: { sampled: lot.sampled, defects: lot.defects },
      after: {
        sampled,
        defects,
        result: { sampled: input.sampled, defects: input.defects, note: input.note },
      },
    });
    if (rejected)
      await audit(tx, {
        ...stamp,
        entityType: "lot",
        entityId: lot.number,
        action: "lot.rejected",
        before: { status: "open" },
        after: { status: "rejected", sampled, defects },
      });
    return { lot: toLot({ ...current, lot: updated as LotRow }), rejected };
  });
}

/** Releases a lot whose required sample is met; refused before, naming the shortfall, and for a decided lot. */
export async function releaseLot(db: Db, actor: Actor, typedNumber: string): Promise<Lot> {
  return db.transaction(async (tx) => {
    const current = await lockedLot(tx, typedNumber);
    const { lot } = current;
    if (lot.status !== "open")
      throw new QualityRefused({
        kind: "lot_decided",
        number: lot.number,
        status: lot.status as DecidedStatus,
      });
    if (lot.sampled < lot.requiredSample)
      throw new QualityRefused({
        kind: "sample_short",
        number: lot.number,
        sampled: lot.sampled,
        required: lot.requiredSample,
      });
    const [updated] = await tx
      .update(lots)
      .set({ status: "released", decidedAt: actor.at, decidedBy: actor.personId })
      .where(and(eq(lots.id, lot.id), eq(lots.status, "open")))
      .returning();
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "lot",
      entityId: lot.number,
      action: "lot.released",
      before: { status: "open" },
      after: { status: "released", sampled: lot.sampled, defects: lot.defects },
    });
    return toLot({ ...current, lot: updated as LotRow });
  });
}
