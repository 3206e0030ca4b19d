// Why a meeting change was refused, with the meeting as it stands, for the caller to put into words.
import { Refused } from "../refused.ts";
import type { Meeting } from "./store.ts";

export type MeetingRefusal =
  | { kind: "not_found"; number: string }
  | { kind: "order_not_found"; number: string }
  /** Only a confirmed order that is late needs a special meeting. */
  | { kind: "order_not_open"; number: string; status: string }
  | { kind: "starts_in_past"; startsAt: Date }
  | { kind: "empty_decision" }
  | { kind: "already_minuted"; meeting: Meeting }
  /** A new due date needs a meeting about an order. */
  | { kind: "no_order"; meeting: Meeting };

export class MeetingRefused extends Refused<MeetingRefusal> {
  override readonly name = "MeetingRefused";

  constructor(refusal: MeetingRefusal) {
    super("meeting", refusal);
  }
}
