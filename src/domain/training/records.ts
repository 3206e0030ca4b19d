// Training records: logged courses and finished practice orders, per person and day; who went untrained in a quarter.
import { and, asc, count, desc, eq, gte, isNull, lte } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { people, personRoles, trainingRecords } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import type { LocalDate } from "../calendar/local-time.ts";
import { Refused } from "../refused.ts";

export type TrainingRefusal =
  | { kind: "empty_course" }
  | { kind: "future_day"; day: LocalDate; today: LocalDate };

export class TrainingRefused extends Refused<TrainingRefusal> {
  override readonly name = "TrainingRefused";

  constructor(refusal: TrainingRefusal) {
    super("training", refusal);
  }
}

export interface TrainingRecord {
  id: number;
  personId: number;
  personName: string;
  course: string;
  day: LocalDate;
  source: "log" | "practice";
  score: number | null;
}

/** How many records a list shows; the total is reported beside it. */
export const TRAINING_LIST_LIMIT = 20;

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** One record, audited, in the caller's transaction (a practice writes its score with its last answer). */
export async function writeTrainingRecord(
  tx: Db | Tx,
  actor: Actor,
  record: {
    personId: number;
    course: string;
    day: LocalDate;
    source: "log" | "practice";
    score: number | null;
  },
): Promise<void> {
  const [row] = await tx
    .insert(trainingRecords)
    .values({ ...record, createdAt: actor.at, createdBy: actor.personId })
    .returning();
  await audit(tx, {
    ...auditedBy(actor),
    entityType: "training",
    entityId: String(row?.id),
    action: "training.recorded",
    after: row,
  });
}

/** Records that each of these people took `course` on `day` (today or before). */
export async function logTraining(
  db: Db,
  actor: Actor,
  input: { course: string; day: LocalDate; today: LocalDate; personIds: readonly number[] },
): Promise<number> {
  const course = input.course.trim();
  if (course === "") throw new TrainingRefused({ kind: "empty_course" });
  if (input.day > input.today)
    throw new TrainingRefused({ kind: "future_day", day: input.day, today: input.today });
  const personIds = [...new Set(input.personIds)];
  await db.transaction(async (tx) => {
    for (const personId of personIds)
      await writeTrainingRecord(tx, actor, { personId, course, day: input.day, source: "log", score: null });
  });
  return personIds.length;
}

/** The latest records, of everyone or of one person, with the total. */
export async function listTraining(
  db: Db,
  personId?: number,
): Promise<{ records: TrainingRecord[]; total: number }> {
  const where = personId === undefined ? undefined : eq(trainingRecords.personId, personId);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: trainingRecords.id,
        personId: trainingRecords.personId,
        personName: people.displayName,
        course: trainingRecords.course,
        day: trainingRecords.day,
        source: trainingRecords.source,
        score: trainingRecords.score,
      })
      .from(trainingRecords)
      .innerJoin(people, eq(people.id, trainingRecords.personId))
      .where(where)
      .orderBy(desc(trainingRecords.day), desc(trainingRecords.id))
      .limit(TRAINING_LIST_LIMIT),
    db.select({ n: count() }).from(trainingRecords).where(where),
  ]);
  return {
    records: rows.map((row) => ({ ...row, source: row.source as TrainingRecord["source"] })),
    total: total?.n ?? 0,
  };
}

/** The people who hold a role (the staff) and have no training record dated within the quarter. */
export async function untrainedPeople(
  db: Db,
  quarter: { from: LocalDate; to: LocalDate },
): Promise<{ personId: number; name: string }[]> {
  const rows = await db
    .selectDistinct({ personId: people.id, name: people.displayName })
    .from(people)
    .innerJoin(personRoles, eq(personRoles.personId, people.id))
    .leftJoin(
      trainingRecords,
      and(
        eq(trainingRecords.personId, people.id),
        gte(trainingRecords.day, quarter.from),
        lte(trainingRecords.day, quarter.to),
      ),
    )
    .where(isNull(trainingRecords.id))
    .orderBy(asc(people.displayName), asc(people.id));
  return rows;
}
