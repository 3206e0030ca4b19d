// Every state change of a meeting: scheduled (attendees told, a late order's alerts acknowledged), minutes
// (the decision, and the order's new due date through the order's delay rules), actions (tasks); all audited.
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { alerts, meetings } from "../../db/schema/index.ts";
import type { Outbox, OutboxCounts } from "../../outbox/outbox.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { ackAlert } from "../alerts/changes.ts";
import { goesToManagers } from "../alerts/levels.ts";
import { peopleRecipients } from "../alerts/recipients.ts";
import { audit } from "../audit.ts";
import type { LocalDate } from "../calendar/local-time.ts";
import { type DrawnMessage, enqueueFanOut, fanOutItems } from "../notifications/fan-out.ts";
import { nextNumber } from "../numbering.ts";
import { delayOrder } from "../orders/order-changes.ts";
import { findOrder } from "../orders/orders-repository.ts";
import { createTask } from "../tasks/changes.ts";
import type { Task } from "../tasks/store.ts";
import { MeetingRefused } from "./refusal.ts";
import { type Attendee, findMeeting, type Meeting } from "./store.ts";

/** What a meeting is about: a late order (a special meeting), the monthly review, or any other topic. */
export type MeetingSubject =
  | { kind: "order"; number: string }
  | { kind: "review" }
  | { kind: "topic"; text: string };

export interface NewMeeting {
  subject: MeetingSubject;
  startsAt: Date;
  attendees: readonly Attendee[];
  chat: { platform: string; chatId: string };
  timezone: string;
}

export interface ScheduledMeeting {
  meeting: Meeting;
  /** The late order's open manager-level alerts this meeting answered (acknowledged). */
  acknowledged: number;
  /** Delivery of the invitations to the attendees' direct chats. */
  invited: OutboxCounts;
}

/** The outbox key prefix of a meeting's invitation: sent once per meeting and attendee chat. */
export const inviteKeyPrefix = (number: string): string => `meeting-invite:${number}`;

async function subjectColumns(db: Db, subject: MeetingSubject) {
  if (subject.kind === "review") return { kind: "review", topic: "review", orderNumber: null };
  if (subject.kind === "topic") return { kind: "topic", topic: subject.text.trim(), orderNumber: null };
  const order = await findOrder(db, subject.number);
  if (!order) throw new MeetingRefused({ kind: "order_not_found", number: subject.number });
  if (order.status !== "confirmed")
    throw new MeetingRefused({ kind: "order_not_open", number: order.number, status: order.status });
  return { kind: "special", topic: order.number, orderNumber: order.number };
}

/**
 * The open alerts of an order that went to the managers (the review of an order more than 5 days late, or an
 * escalation): a meeting scheduled about the order is their answer, so each is acknowledged by the scheduler.
 */
async function acknowledgeOrderAlerts(db: Db, actor: Actor, orderNumber: string): Promise<number> {
  const open = await db
    .select({ id: alerts.id, level: alerts.level })
    .from(alerts)
    .where(
      and(
        eq(alerts.kind, "order"),
        eq(alerts.entity, orderNumber),
        inArray(alerts.level, ["review", "escalation"]),
        isNull(alerts.ackedAt),
        isNull(alerts.closedAt),
      ),
    );
  let acknowledged = 0;
  for (const alert of open.filter((row) => goesToManagers(row.level))) {
    // Someone may answer it meanwhile (a click on Ack): that one stays theirs.
    const answered = await ackAlert(db, alert.id, actor).then(
      () => true,
      () => false,
    );
    if (answered) acknowledged++;
  }
  return acknowledged;
}

/** Schedules a meeting numbered M-<today>-<seq>; tells each attendee directly with `invite`. */
export async function scheduleMeeting(
  db: Db,
  outbox: Outbox,
  actor: Actor,
  input: NewMeeting,
  invite: (meeting: Meeting) => DrawnMessage,
): Promise<ScheduledMeeting> {
  if (input.startsAt < actor.at)
    throw new MeetingRefused({ kind: "starts_in_past", startsAt: input.startsAt });
  const columns = await subjectColumns(db, input.subject);
  const number = await db.transaction(async (tx) => {
    const number = await nextNumber(tx, "M", actor.at, input.timezone);
    const [row] = await tx
      .insert(meetings)
      .values({
        number,
        ...columns,
        startsAt: input.startsAt,
        attendees: [...input.attendees],
        platform: input.chat.platform,
        chatId: input.chat.chatId,
        createdAt: actor.at,
        createdBy: actor.personId,
      })
      .returning();
    await audit(tx, auditEntry(actor, number, "meeting.scheduled", null, row));
    return number;
  });
  const meeting = await mustFind(db, number);
  const acknowledged = meeting.orderNumber ? await acknowledgeOrderAlerts(db, actor, meeting.orderNumber) : 0;
  const direct = await peopleRecipients(
    db,
    meeting.attendees.map((attendee) => attendee.personId),
  );
  const keys = await enqueueFanOut(
    outbox,
    fanOutItems(inviteKeyPrefix(number), [...direct.values()].flat(), invite(meeting)),
  );
  return { meeting, acknowledged, invited: await outbox.deliver(keys) };
}

export interface Minutes {
  decision: string;
  /** The order's new due date, moved through the order's delay rules with the decision as its reason. */
  newDue?: LocalDate | undefined;
  timezone: string;
}

/** Records the meeting's decision once; a new due date moves the order first, and nothing is written if refused. */
export async function recordMinutes(
  db: Db,
  actor: Actor,
  number: string,
  minutes: Minutes,
): Promise<Meeting> {
  const before = await findMeeting(db, number);
  if (!before) throw new MeetingRefused({ kind: "not_found", number });
  const decision = minutes.decision.trim();
  if (decision === "") throw new MeetingRefused({ kind: "empty_decision" });
  if (before.minutesAt) throw new MeetingRefused({ kind: "already_minuted", meeting: before });
  if (minutes.newDue !== undefined) {
    if (!before.orderNumber) throw new MeetingRefused({ kind: "no_order", meeting: before });
    await delayOrder(db, {
      number: before.orderNumber,
      actor,
      timezone: minutes.timezone,
      newDue: minutes.newDue,
      reason: `${number}: ${decision}`,
    });
  }
  const written = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(meetings)
      .set({
        decision,
        newDueDate: minutes.newDue ?? null,
        minutesAt: actor.at,
        minutesBy: actor.personId,
        version: before.version + 1,
      })
      .where(
        and(eq(meetings.id, before.id), eq(meetings.version, before.version), isNull(meetings.minutesAt)),
      )
      .returning();
    if (row) await audit(tx, auditEntry(actor, number, "meeting.minutes", before, row));
    return row !== undefined;
  });
  const after = await mustFind(db, number);
  if (!written) throw new MeetingRefused({ kind: "already_minuted", meeting: after });
  return after;
}

export interface MeetingAction {
  title: string;
  ownerPersonId: number;
  due: LocalDate;
  chat: { platform: string; chatId: string };
  timezone: string;
}

/** An action of the meeting: a task through the one reminder engine, its source the meeting. */
export async function addMeetingAction(
  db: Db,
  actor: Actor,
  number: string,
  action: MeetingAction,
): Promise<Task> {
  const meeting = await findMeeting(db, number);
  if (!meeting) throw new MeetingRefused({ kind: "not_found", number });
  return createTask(db, actor, {
    title: action.title,
    ownerPersonId: action.ownerPersonId,
    due: action.due,
    source: { type: "meeting", id: meeting.number },
    chat: action.chat,
    timezone: action.timezone,
  });
}

async function mustFind(db: Db, number: string): Promise<Meeting> {
  const meeting = await findMeeting(db, number);
  if (!meeting) throw new Error(`meeting ${number} vanished after it was written`);
  return meeting;
}

const auditEntry = (actor: Actor, number: string, action: string, before: unknown, after: unknown) => ({
  ...auditedBy(actor),
  entityType: "meeting",
  entityId: number,
  action,
  before,
  after,
});
