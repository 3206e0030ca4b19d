// Why a sales-log change was refused, with the entry as it stands, for the command to put into words.
import { Refused } from "../refused.ts";
import type { SalesEntry } from "./entries.ts";

export type SalesRefusal =
  | { kind: "not_found"; ref: string }
  /** The lead was converted or closed already (by whom and when is on the entry). */
  | { kind: "lead_settled"; entry: SalesEntry }
  /** A complaint was opened from this feedback already. */
  | { kind: "complaint_exists"; entry: SalesEntry }
  /** Only whoever logged a lead, customer service, managers and admins close it. */
  | { kind: "not_yours"; entry: SalesEntry };

export class SalesRefused extends Refused<SalesRefusal> {
  override readonly name = "SalesRefused";

  constructor(refusal: SalesRefusal) {
    super("sales", refusal);
  }
}
