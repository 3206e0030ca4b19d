// The practice order: a made-up order and complaint a new hire walks through step by step in its own table, scored,
// the score kept as a training record. It writes no order, complaint, alert or outbox push and takes no number.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { practiceSessions } from "../../db/schema/index.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { audit } from "../audit.ts";
import {
  addDays,
  HOUR_MS,
  type LocalDate,
  localDateOf,
  localTimeOfDay,
  MINUTE_MS,
} from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { FIRST_RESPONSE_HOURS, RESOLUTION_WORKING_DAYS, REVIEW_AFTER_DAYS } from "../policy.ts";
import { Refused } from "../refused.ts";
import { writeTrainingRecord } from "./records.ts";

/** What each step asks: the order's fields, the complaint's two deadlines, the lateness that calls a meeting. */
export const PRACTICE_STEPS = ["order", "response_due", "resolution_due", "review_after"] as const;
export type PracticeStep = (typeof PRACTICE_STEPS)[number];

/** The course name a finished practice is recorded under. */
export const PRACTICE_COURSE = "practice-order";

export interface PracticeScenario {
  customer: string;
  model: string;
  quantity: number;
  due: LocalDate;
  /** The complaint's receipt and its deadlines, as "YYYY-MM-DD HH:MM" in OPS_TIMEZONE. */
  receivedAt: string;
  responseDue: string;
  resolutionDue: string;
  /** The resolution deadline rests on a provisional calendar day. */
  provisional: boolean;
}

export interface PracticeAnswer {
  step: PracticeStep;
  answer: string;
  correct: boolean;
}

export interface PracticeSession {
  id: number;
  personId: number;
  scenario: PracticeScenario;
  /** Index into PRACTICE_STEPS of the step being asked. */
  step: number;
  answers: PracticeAnswer[];
  finishedAt: Date | null;
  score: number | null;
  version: number;
}

export type PracticeRefusal = { kind: "not_started" } | { kind: "busy" };

export class PracticeRefused extends Refused<PracticeRefusal> {
  override readonly name = "PracticeRefused";

  constructor(refusal: PracticeRefusal) {
    super("practice", refusal);
  }
}

const two = (value: number): string => String(value).padStart(2, "0");

/** "2026-10-10 10:00" in the timezone: how people read and type a deadline. */
export function localStamp(instant: Date, timezone: string): string {
  const ms = localTimeOfDay(instant, timezone);
  return `${localDateOf(instant, timezone)} ${two(Math.floor(ms / HOUR_MS))}:${two(Math.floor((ms % HOUR_MS) / MINUTE_MS))}`;
}

/** The made-up order and complaint of a practice started at `at`: the complaint arrives then. */
export function practiceScenario(at: Date, calendar: WorkingCalendar): PracticeScenario {
  const { timezone } = calendar;
  const receivedAt = new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
  const resolution = calendar.addWorkingDays(receivedAt, RESOLUTION_WORKING_DAYS);
  return {
    customer: "ACME",
    model: "X1-DEMO",
    quantity: 120,
    due: addDays(localDateOf(at, timezone), 14),
    receivedAt: localStamp(receivedAt, timezone),
    responseDue: localStamp(new Date(receivedAt.getTime() + FIRST_RESPONSE_HOURS * HOUR_MS), timezone),
    resolutionDue: localStamp(resolution.due, timezone),
    provisional: resolution.provisional,
  };
}

/** The right answer of a step, as it is typed. */
export function expectedAnswer(step: PracticeStep, scenario: PracticeScenario): string {
  switch (step) {
    case "order":
      return `${scenario.customer} ${scenario.model} ${scenario.quantity} ${scenario.due}`;
    case "response_due":
      return scenario.responseDue;
    case "resolution_due":
      return scenario.resolutionDue;
    case "review_after":
      return String(REVIEW_AFTER_DAYS);
  }
}

/** Words compared without case, full-width forms or extra spaces. */
const normalised = (text: string): string =>
  text.normalize("NFKC").trim().split(/\s+/u).join(" ").toLowerCase();

const isCorrect = (step: PracticeStep, scenario: PracticeScenario, answer: string): boolean =>
  normalised(answer) === normalised(expectedAnswer(step, scenario));

const toSession = (row: typeof practiceSessions.$inferSelect): PracticeSession => ({
  id: row.id,
  personId: row.personId,
  scenario: row.scenario as PracticeScenario,
  step: row.step,
  answers: row.answers as PracticeAnswer[],
  finishedAt: row.finishedAt,
  score: row.score,
  version: row.version,
});

async function openSession(db: Db, personId: number): Promise<PracticeSession | undefined> {
  const [row] = await db
    .select()
    .from(practiceSessions)
    .where(and(eq(practiceSessions.personId, personId), isNull(practiceSessions.finishedAt)));
  return row ? toSession(row) : undefined;
}

/** The caller's practice in progress, or a new one; `started` says which. */
export async function startPractice(
  db: Db,
  actor: Actor,
  calendar: WorkingCalendar,
): Promise<{ session: PracticeSession; started: boolean }> {
  const open = await openSession(db, actor.personId);
  if (open) return { session: open, started: false };
  const started = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(practiceSessions)
      .values({
        personId: actor.personId,
        scenario: practiceScenario(actor.at, calendar),
        answers: [],
        startedAt: actor.at,
      })
      .onConflictDoNothing()
      .returning();
    if (row) await audit(tx, entry(actor, row.id, "practice.started", row));
    return row !== undefined;
  });
  const session = await openSession(db, actor.personId);
  if (!session) throw new Error("a practice vanished after it was started");
  return { session, started };
}

/** Grades the answer to the current step and moves on; the last answer scores it and records the training. */
export async function answerPractice(
  db: Db,
  actor: Actor,
  answer: string,
  timezone: string,
): Promise<{ session: PracticeSession; graded: PracticeAnswer }> {
  const before = await openSession(db, actor.personId);
  if (!before) throw new PracticeRefused({ kind: "not_started" });
  const step = PRACTICE_STEPS[before.step];
  if (!step) throw new Error(`practice ${before.id} is past its last step but not finished`);
  const graded: PracticeAnswer = {
    step,
    answer: answer.trim(),
    correct: isCorrect(step, before.scenario, answer),
  };
  const answers = [...before.answers, graded];
  const last = before.step + 1 === PRACTICE_STEPS.length;
  const score = last
    ? Math.round((100 * answers.filter((a) => a.correct).length) / PRACTICE_STEPS.length)
    : null;
  const written = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(practiceSessions)
      .set({
        step: before.step + 1,
        answers,
        version: before.version + 1,
        ...(last && { finishedAt: actor.at, score }),
      })
      .where(and(eq(practiceSessions.id, before.id), eq(practiceSessions.version, before.version)))
      .returning();
    if (!row) return undefined;
    await audit(
      tx,
      entry(actor, row.id, last ? "practice.finished" : "practice.answered", { graded, score }),
    );
    if (last)
      await writeTrainingRecord(tx, actor, {
        personId: actor.personId,
        course: PRACTICE_COURSE,
        day: localDateOf(actor.at, timezone),
        source: "practice",
        score,
      });
    return toSession(row);
  });
  if (!written) throw new PracticeRefused({ kind: "busy" });
  return { session: written, graded };
}

const entry = (actor: Actor, id: number, action: string, after: unknown) => ({
  ...auditedBy(actor),
  entityType: "practice",
  entityId: String(id),
  action,
  after,
});
