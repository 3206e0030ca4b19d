// Why a complaint change was refused, with the complaint as it stands, for the caller to put into words.
import { Refused } from "../refused.ts";
import type { Complaint } from "./store.ts";

export type ComplaintRefusal =
  | { kind: "not_found"; number: string }
  | { kind: "already_responded"; complaint: Complaint }
  | { kind: "already_resolved"; complaint: Complaint }
  | { kind: "not_resolved"; complaint: Complaint }
  | { kind: "already_taken"; complaint: Complaint }
  /** Others kept changing it while we tried; nothing was written. */
  | { kind: "busy"; number: string };

export class ComplaintRefused extends Refused<ComplaintRefusal> {
  override readonly name = "ComplaintRefused";

  constructor(refusal: ComplaintRefusal) {
    super("complaint", refusal);
  }
}
