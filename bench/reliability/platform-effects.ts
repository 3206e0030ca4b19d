// Counts what users saw and what the business got: replies the fake platforms accepted per message, and the orders and complaints the domain tables hold per event.
import type { Db } from "../../src/db/database.ts";
import { complaints, orders } from "../../src/db/schema/index.ts";
import type { Fakes } from "../../test/helpers/e2e-harness.ts";
import type { TrafficEvent } from "./traffic.ts";

export interface PlatformEffects {
  /** Acked Lark and DingTalk messages, counted by the platform's side. */
  messages: number;
  /** ... of which the platform accepted no reply, or more than one. */
  repliesMissing: number;
  repliesTwice: number;
  /** Acked order and complaint commands, counted in the domain tables. */
  commands: number;
  /** ... of which no row, or more than one row, holds the command's own words. */
  rowsMissing: number;
  rowsTwice: number;
  examples: string[];
}

/** The number the traffic put into an event's customer (`ACME-<n>`): the end of its token `<run>x<n>`. */
const customerOf = (event: TrafficEvent) => `ACME-${event.token.split("x").at(-1)}`;

/**
 * A Lark message's reply names its parent (`/messages/<id>/reply`), a DingTalk one its session webhook
 * (`session=s-<token>`): one of each per acked message is what the person who sent it saw.
 */
function replyPlaceOf(event: TrafficEvent): string | undefined {
  if (event.kind === "larkMessage") return `/open-apis/im/v1/messages/${event.messageId}/reply`;
  if (event.kind === "dingtalkMessage") return `/robot/sendBySession?session=s-${event.token}`;
  return undefined;
}

export async function readPlatformEffects(
  db: Db,
  fakes: Fakes,
  acked: Iterable<TrafficEvent>,
): Promise<PlatformEffects> {
  const events = [...acked].filter((event) => !event.duplicate);
  const seen = new Map<string, number>();
  for (const { path } of [...fakes.lark.delivered, ...fakes.dingtalk.delivered])
    seen.set(path, (seen.get(path) ?? 0) + 1);
  const orderRows = await db.select({ customer: orders.customer }).from(orders);
  const ordersOf = new Map<string, number>();
  for (const { customer } of orderRows) ordersOf.set(customer, (ordersOf.get(customer) ?? 0) + 1);
  const complaintRows = await db.select({ description: complaints.description }).from(complaints);
  const complaintsOf = new Map<string, number>();
  for (const { description } of complaintRows) {
    const token = description.split(" ").at(-1) ?? "";
    complaintsOf.set(token, (complaintsOf.get(token) ?? 0) + 1);
  }

  const report: PlatformEffects = {
    messages: 0,
    repliesMissing: 0,
    repliesTwice: 0,
    commands: 0,
    rowsMissing: 0,
    rowsTwice: 0,
    examples: [],
  };
  const note = (text: string) => {
    if (report.examples.length < 5) report.examples.push(text);
  };
  for (const event of events) {
    const place = replyPlaceOf(event);
    if (place) {
      report.messages++;
      const replies = seen.get(place) ?? 0;
      if (replies === 0) {
        report.repliesMissing++;
        note(`${event.dedupKey}: no reply at the platform`);
      } else if (replies > 1) {
        report.repliesTwice++;
        note(`${event.dedupKey}: ${replies} replies at the platform`);
      }
    }
    if (event.effect !== "order" && event.effect !== "complaint") continue;
    report.commands++;
    const rows =
      event.effect === "order"
        ? (ordersOf.get(customerOf(event)) ?? 0)
        : (complaintsOf.get(event.token) ?? 0);
    if (rows === 0) {
      report.rowsMissing++;
      note(`${event.dedupKey}: no ${event.effect} row`);
    } else if (rows > 1) {
      report.rowsTwice++;
      note(`${event.dedupKey}: ${rows} ${event.effect} rows`);
    }
  }
  return report;
}
