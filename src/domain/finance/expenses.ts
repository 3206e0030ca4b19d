// Reimbursements: asked with an amount and a reason, posted to the finance groups, signed or rejected there by
// finance; the requester is told the outcome. Waiting past EXPENSE_SIGN_WORKING_DAYS is an alert.
import { and, eq, lte, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { ChatRef, PlatformId } from "../../chat/events.ts";
import type { Db } from "../../db/database.ts";
import { expenses, people } from "../../db/schema/index.ts";
import type { Outbox } from "../../outbox/outbox.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { peopleRecipients } from "../alerts/recipients.ts";
import { audit } from "../audit.ts";
import { loadCalendarOverrides } from "../calendar/overrides-repository.ts";
import { createWorkingCalendar } from "../calendar/working-calendar.ts";
import { type DrawnMessage, enqueueFanOut, fanOutItems } from "../notifications/fan-out.ts";
import { chatRecipient, subscribedRecipients } from "../notifications/recipients.ts";
import { nextNumber } from "../numbering.ts";
import { EXPENSE_SIGN_WORKING_DAYS } from "../policy.ts";
import { type Fen, fenToStored, storedToFen } from "./money.ts";
import { FinanceRefused } from "./refusal.ts";

export type ExpenseStatus = "pending" | "signed" | "rejected";
type ExpenseRow = typeof expenses.$inferSelect;

export interface Expense extends Omit<ExpenseRow, "amount" | "status"> {
  amount: Fen;
  status: ExpenseStatus;
  requestedByName: string;
  decidedByName: string | null;
}

export interface ExpenseDeps {
  db: Db;
  outbox: Outbox;
}

const decider = alias(people, "decider");

export async function findExpense(db: Db, number: string): Promise<Expense | undefined> {
  const [row] = await db
    .select({ expense: expenses, requestedByName: people.displayName, decidedByName: decider.displayName })
    .from(expenses)
    .innerJoin(people, eq(people.id, expenses.requestedBy))
    .leftJoin(decider, eq(decider.id, expenses.decidedBy))
    .where(eq(expenses.number, number.toUpperCase()));
  if (!row) return undefined;
  return {
    ...row.expense,
    amount: storedToFen(row.expense.amount),
    status: row.expense.status as ExpenseStatus,
    requestedByName: row.requestedByName,
    decidedByName: row.decidedByName,
  };
}

async function mustFind(db: Db, number: string): Promise<Expense> {
  const expense = await findExpense(db, number);
  if (!expense) throw new FinanceRefused({ kind: "expense_not_found", number: number.toUpperCase() });
  return expense;
}

export interface NewExpense {
  amount: Fen;
  reason: string;
  chat: ChatRef;
  timezone: string;
}

/**
 * Records a reimbursement and posts its card (drawn by the caller) to every group subscribed to finance; the
 * card's rows commit with the expense, so a crash between the two loses neither.
 */
export async function requestExpense(
  { db, outbox }: ExpenseDeps,
  actor: Actor,
  input: NewExpense,
  drawCard: (expense: Expense) => DrawnMessage,
): Promise<{ expense: Expense; postedTo: number }> {
  const calendar = createWorkingCalendar({
    timezone: input.timezone,
    overrides: await loadCalendarOverrides(db),
  });
  const signDue = calendar.addWorkingDays(actor.at, EXPENSE_SIGN_WORKING_DAYS);
  const { expense, keys } = await db.transaction(async (tx) => {
    const number = await nextNumber(tx, "E", actor.at, input.timezone);
    const [row] = await tx
      .insert(expenses)
      .values({
        number,
        amount: fenToStored(input.amount),
        reason: input.reason.trim(),
        status: "pending",
        requestedAt: actor.at,
        requestedBy: actor.personId,
        signDueAt: signDue.due,
        signDueProvisional: signDue.provisional,
        platform: actor.platform,
        chatId: input.chat.id,
        chatKind: input.chat.kind,
      })
      .returning();
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "expense",
      entityId: number,
      action: "expense.requested",
      after: row,
    });
    const expense = await mustFind(tx, number);
    const recipients = await subscribedRecipients(tx, "finance");
    const keys = await enqueueFanOut(
      outbox,
      fanOutItems(`expense:${number}`, recipients, drawCard(expense)),
      tx,
    );
    return { expense, keys };
  });
  await outbox.deliver(keys);
  return { expense, postedTo: keys.length };
}

export interface ExpenseDecision {
  number: string;
  /** Set for a rejection: why. */
  rejectReason?: string;
}

/**
 * Signs or rejects a pending reimbursement (finance only: the command's role, from the database) and tells the
 * requester: directly where they can be messaged, else in the chat they asked in.
 */
export async function decideExpense(
  { db, outbox }: ExpenseDeps,
  actor: Actor,
  decision: ExpenseDecision,
  drawOutcome: (expense: Expense) => DrawnMessage,
): Promise<Expense> {
  const status: ExpenseStatus = decision.rejectReason === undefined ? "signed" : "rejected";
  const { expense, keys } = await db.transaction(async (tx) => {
    const before = await mustFind(tx, decision.number);
    const set = {
      status,
      decidedAt: actor.at,
      decidedBy: actor.personId,
      rejectReason: decision.rejectReason?.trim() ?? null,
      version: before.version + 1,
    };
    const [written] = await tx
      .update(expenses)
      .set(set)
      .where(
        and(eq(expenses.id, before.id), eq(expenses.status, "pending"), eq(expenses.version, before.version)),
      )
      .returning({ id: expenses.id });
    if (!written)
      throw new FinanceRefused({ kind: "expense_decided", expense: await mustFind(tx, before.number) });
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "expense",
      entityId: before.number,
      action: `expense.${status}`,
      before: { status: before.status },
      after: { status, rejectReason: set.rejectReason },
    });
    const expense = await mustFind(tx, before.number);
    const direct = (await peopleRecipients(tx, [expense.requestedBy])).get(expense.requestedBy) ?? [];
    const chat = await chatRecipient(tx, expense.platform as PlatformId, {
      id: expense.chatId,
      kind: expense.chatKind === "direct" ? "direct" : "group",
    });
    const recipients = direct.length > 0 ? direct : chat ? [chat] : [];
    const keys = await enqueueFanOut(
      outbox,
      fanOutItems(`expense-outcome:${expense.number}`, recipients, drawOutcome(expense)),
      tx,
    );
    return { expense, keys };
  });
  await outbox.deliver(keys);
  return expense;
}

/** Reimbursements still waiting for finance past their deadline: the alert sweep's condition. */
export const expenseOverdue = (now: Date): SQL | undefined =>
  and(eq(expenses.status, "pending"), lte(expenses.signDueAt, now));
