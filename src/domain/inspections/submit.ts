// Submitting an inspection: store it with its results and findings, audit it, and alert at once on findings.
import { and, eq, sql } from "drizzle-orm";
import type { ChatRef, PlatformId } from "../../chat/events.ts";
import type { Db } from "../../db/database.ts";
import { auditLog, findings, inspectionResults, inspections } from "../../db/schema/index.ts";
import type { Outbox, OutboxCounts, OutboxItem } from "../../outbox/outbox.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { managerRecipients } from "../alerts/recipients.ts";
import { alertCalendar } from "../alerts/sweep.ts";
import { alertTiming } from "../alerts/timing.ts";
import { urgentItems } from "../alerts/urgent.ts";
import { audit } from "../audit.ts";
import { type DrawnMessage, enqueueFanOut, fanOutItems } from "../notifications/fan-out.ts";
import { chatRecipient, subscribedRecipients } from "../notifications/recipients.ts";
import { nextNumber } from "../numbering.ts";
import { findingFacts, type InspectionArea, type ItemResult } from "./checklist.ts";
import { type InspectionRecord, loadInspection } from "./records.ts";

export interface Submission {
  area: InspectionArea;
  /** Every checklist item's result, as evaluateChecklist returned them. */
  results: ItemResult[];
  /**
   * Who submitted it, when, and from which platform event, kept in the audit row: the same event handled
   * twice (a redelivery, a sweep after a crash) finds the inspection it stored.
   */
  actor: Actor;
  timezone: string;
  /** Where it was submitted; also told of the findings. */
  chat: ChatRef;
}

export interface SubmitOutcome {
  inspection: InspectionRecord;
  /** True when `source` had already been stored: nothing new was written. */
  replayed: boolean;
  /** Outbox keys of the finding alerts (none without findings). */
  alertKeys: string[];
  delivered: OutboxCounts;
}

export interface SubmitDeps {
  db: Db;
  outbox: Outbox;
  /** OPS_URGENT=on: a safety finding also goes to the managers, with the platforms' urgent notice. */
  urgent?: boolean;
}

const SUBMITTED = "inspection.submitted";

/** The alert key prefix of an inspection; one row per chat below it. */
const findingAlertPrefix = (number: string): string => `finding:${number}`;

async function numberStoredFor(tx: Db, platform: PlatformId, source: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ number: auditLog.entityId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, "inspection"),
        eq(auditLog.action, SUBMITTED),
        eq(auditLog.platform, platform),
        eq(auditLog.platformMessageId, source),
      ),
    )
    .limit(1);
  return row?.number;
}

/** Writes the inspection, its results, its findings and their audit rows; returns its number. */
async function store(tx: Db, submission: Submission): Promise<string> {
  const { area, results, actor } = submission;
  const { at, platform } = actor;
  const chatId = submission.chat.id;
  const failed = results.filter((result) => !result.passed);
  const number = await nextNumber(tx, "I", at, submission.timezone);
  const [row] = await tx
    .insert(inspections)
    .values({
      number,
      areaId: area.id,
      submittedBy: actor.personId,
      submittedAt: at,
      findingCount: failed.length,
      checklistVersion: area.version,
      platform,
      chatId,
    })
    .returning({ id: inspections.id });
  const inspectionId = (row as { id: number }).id;
  await tx.insert(inspectionResults).values(
    results.map((result) => ({
      inspectionId,
      itemId: result.item.id,
      value: result.value,
      passed: result.passed,
    })),
  );
  const stamp = auditedBy(actor);
  await audit(tx, {
    ...stamp,
    entityType: "inspection",
    entityId: number,
    action: SUBMITTED,
    after: {
      area: area.code,
      checklistVersion: area.version,
      results: Object.fromEntries(results.map((result) => [result.item.code, result.value])),
      findingCount: failed.length,
      chatId,
    },
  });
  for (const result of failed) {
    const [finding] = await tx
      .insert(findings)
      .values({
        inspectionId,
        itemId: result.item.id,
        ...findingFacts(result),
        safety: result.item.safety,
        createdAt: at,
      })
      .returning({ id: findings.id });
    await audit(tx, {
      ...stamp,
      entityType: "finding",
      entityId: String((finding as { id: number }).id),
      action: "finding.recorded",
      after: { inspection: number, item: result.item.code, value: result.value, safety: result.item.safety },
    });
  }
  return number;
}

/**
 * The alert rows of an inspection with findings: every group subscribed to alerts, and the submitter's chat.
 * With `urgent`, a finding on a safety item (a checklist item flagged safety: fire extinguisher, exits…) is at
 * the top of the ladder at once: it goes to each manager's direct chat too, and is urged there (urgent.ts)
 * from the next moment inside working hours.
 */
async function alertItems(
  tx: Db,
  inspection: InspectionRecord,
  submission: Submission,
  message: DrawnMessage,
  urgent: boolean,
): Promise<OutboxItem[]> {
  if (inspection.findingCount === 0) return [];
  const { actor, chat, results } = submission;
  const submitterChat = await chatRecipient(tx, actor.platform, chat);
  const recipients = [
    ...(await subscribedRecipients(tx, "alerts")),
    ...(submitterChat ? [submitterChat] : []),
  ];
  const prefix = findingAlertPrefix(inspection.number);
  const safety = results.some((result) => !result.passed && result.item.safety);
  if (!urgent || !safety) return fanOutItems(prefix, recipients, message);
  const managers = await managerRecipients(tx);
  const timing = alertTiming(await alertCalendar(tx, submission.timezone));
  return [
    ...fanOutItems(prefix, [...recipients, ...managers], message),
    ...urgentItems(`urgent:${prefix}`, prefix, managers, message, timing.release(actor.at, false)),
  ];
}

/**
 * Stores the submission once per `source` and posts its findings at once. The alert rows commit with the
 * inspection; a second run of the same event stores nothing and re-sends only alerts still pending.
 */
export async function submitInspection(
  { db, outbox, urgent = false }: SubmitDeps,
  submission: Submission,
  alertMessage: (inspection: InspectionRecord) => DrawnMessage,
): Promise<SubmitOutcome> {
  const { platform, platformMessageId: source } = submission.actor;
  const stored = await db.transaction(async (tx) => {
    // Serialises concurrent runs of one event, so the check below cannot pass twice.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`inspection:${platform}:${source}`}))`);
    const earlier = await numberStoredFor(tx, platform, source);
    const number = earlier ?? (await store(tx, submission));
    const inspection = await loadInspection(tx, number);
    if (!inspection) throw new Error(`inspection ${number} vanished inside its own transaction`);
    const alertKeys = await enqueueFanOut(
      outbox,
      await alertItems(tx, inspection, submission, alertMessage(inspection), urgent),
      tx,
    );
    return { inspection, replayed: earlier !== undefined, alertKeys };
  });
  const delivered = await outbox.deliver(stored.alertKeys);
  return { ...stored, delivered };
}
