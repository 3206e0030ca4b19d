// Reads what the acked events left in the database: each one's inbox row, reply and domain row, none missing, none twice.
import { count, inArray, like } from "drizzle-orm";
import type { Db } from "../../src/db/database.ts";
import { auditLog, inbox, outbox } from "../../src/db/schema/index.ts";
import type { Effect, TrafficEvent } from "./traffic.ts";

/** The audit action that proves a message's command took effect. */
const AUDITED: Partial<Record<Effect, string>> = { order: "order.drafted", complaint: "complaint.opened" };

export interface EffectsReport {
  /** Distinct events that got a 200. */
  acked: number;
  /** Acked events with an effect missing: no inbox row, not done, no reply, or no domain row. */
  lost: number;
  /** Effects found more than once (the same message's order or complaint audited twice). */
  duplicated: number;
  /** Inbox rows still pending or processing, and parked dead. */
  open: number;
  dead: number;
  /** Replies written to the outbox, by status (sent, pending, failed…). */
  replies: Record<string, number>;
  orders: number;
  complaints: number;
  /**
   * Replies marked failed although the platform had them: a WeCom robot reply sent just before the kill and
   * sent again after the restart, which the single-use response_url then refuses.
   */
  refusedResends: number;
  /** A few lost events and failed replies, to start looking from. */
  examples: string[];
}

/** The response_code of a WeCom robot reply's target, if it is one. */
function responseCodeOf(target: unknown): string | undefined {
  const url = (target as { handle?: { responseUrl?: unknown } } | null)?.handle?.responseUrl;
  return typeof url === "string" ? (new URL(url).searchParams.get("response_code") ?? undefined) : undefined;
}

/** `answeredResponseCodes`: the WeCom robot response codes whose reply the platform accepted. */
export async function readEffects(
  db: Db,
  acked: Iterable<TrafficEvent>,
  answeredResponseCodes: ReadonlySet<string> = new Set(),
): Promise<EffectsReport> {
  const events = [...acked];
  const inboxRows = await db.select({ key: inbox.dedupKey, status: inbox.status }).from(inbox);
  const statusOf = new Map(inboxRows.map((row) => [row.key, row.status]));
  const replyRows = await db
    .select({
      key: outbox.idempotencyKey,
      status: outbox.status,
      error: outbox.lastError,
      target: outbox.target,
    })
    .from(outbox)
    .where(like(outbox.idempotencyKey, "reply:%"));
  const replyOf = new Map(replyRows.map((row) => [row.key, row.status]));
  const auditRows = await db
    .select({ messageId: auditLog.platformMessageId, action: auditLog.action, times: count() })
    .from(auditLog)
    .where(inArray(auditLog.action, Object.values(AUDITED)))
    .groupBy(auditLog.platformMessageId, auditLog.action);
  const audited = new Map(auditRows.map((row) => [`${row.messageId} ${row.action}`, row.times]));

  const report: EffectsReport = {
    acked: events.length,
    lost: 0,
    duplicated: auditRows.filter((row) => row.times > 1).length,
    open: inboxRows.filter((row) => row.status === "pending" || row.status === "processing").length,
    dead: inboxRows.filter((row) => row.status === "dead").length,
    replies: Object.fromEntries(
      [...new Set(replyRows.map((row) => row.status))].map((status) => [
        status,
        replyRows.filter((row) => row.status === status).length,
      ]),
    ),
    orders: auditRows.filter((row) => row.action === AUDITED.order).length,
    complaints: auditRows.filter((row) => row.action === AUDITED.complaint).length,
    refusedResends: 0,
    examples: [],
  };
  const failed = replyRows.filter((row) => row.status === "failed");
  const refused = failed.filter((row) => answeredResponseCodes.has(responseCodeOf(row.target) ?? ""));
  report.refusedResends = refused.length;
  report.examples = failed
    .filter((row) => !refused.includes(row))
    .slice(0, 3)
    .map((row) => `${row.key} failed: ${row.error}`);
  for (const event of events) {
    const action = AUDITED[event.effect];
    const missing =
      statusOf.get(event.dedupKey) !== "done"
        ? `inbox ${statusOf.get(event.dedupKey) ?? "missing"}`
        : event.messageId && !replyOf.has(`reply:${event.dedupKey}`)
          ? "no reply"
          : action && !audited.has(`${event.messageId} ${action}`)
            ? `no ${action}`
            : undefined;
    if (!missing) continue;
    report.lost++;
    if (report.examples.length < 5) report.examples.push(`${event.kind} ${event.dedupKey}: ${missing}`);
  }
  return report;
}
