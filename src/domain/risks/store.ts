// Reading the risk register: one risk with its plan owner's name, the open risks' matrix and the highest of them.
import { and, asc, count, desc, eq, gte } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { people, risks } from "../../db/schema/index.ts";
import { RISK_HIGH_SCORE } from "../policy.ts";

export type RiskRow = typeof risks.$inferSelect;

export interface Risk extends RiskRow {
  status: "open" | "closed";
  planOwnerName: string | null;
}

/** How many open risks a list shows, highest score first; the total is reported beside it. */
export const RISK_LIST_LIMIT = 10;

const selectRisks = (db: Db) =>
  db
    .select({ risk: risks, planOwnerName: people.displayName })
    .from(risks)
    .leftJoin(people, eq(people.id, risks.planOwnerId));

type Joined = Awaited<ReturnType<ReturnType<typeof selectRisks>["execute"]>>[number];

const toRisk = ({ risk, planOwnerName }: Joined): Risk => ({
  ...risk,
  status: risk.status as Risk["status"],
  planOwnerName,
});

export async function findRisk(db: Db, number: string): Promise<Risk | undefined> {
  const [row] = await selectRisks(db).where(eq(risks.number, number));
  return row ? toRisk(row) : undefined;
}

/** The open risks counted per (likelihood, impact) cell. */
export interface RiskCell {
  likelihood: number;
  impact: number;
  count: number;
}

export interface RiskRegister {
  cells: RiskCell[];
  /** The open risks with the highest scores, the oldest first among equals. */
  top: Risk[];
  openTotal: number;
}

const open = eq(risks.status, "open");

export async function riskRegister(db: Db): Promise<RiskRegister> {
  const [cells, top] = await Promise.all([
    db
      .select({ likelihood: risks.likelihood, impact: risks.impact, count: count() })
      .from(risks)
      .where(open)
      .groupBy(risks.likelihood, risks.impact),
    selectRisks(db).where(open).orderBy(desc(risks.score), asc(risks.id)).limit(RISK_LIST_LIMIT),
  ]);
  return {
    cells,
    top: top.map(toRisk),
    openTotal: cells.reduce((sum, cell) => sum + cell.count, 0),
  };
}

/** The open high risks, highest first (at most `limit`), and how many there are in all. */
export async function openHighRisks(
  db: Db,
  limit: number = RISK_LIST_LIMIT,
): Promise<{ risks: Risk[]; total: number }> {
  const high = and(open, gte(risks.score, RISK_HIGH_SCORE));
  const [rows, [total]] = await Promise.all([
    selectRisks(db).where(high).orderBy(desc(risks.score), asc(risks.id)).limit(limit),
    db.select({ n: count() }).from(risks).where(high),
  ]);
  return { risks: rows.map(toRisk), total: total?.n ?? 0 };
}
