// Why a risk change was refused, for the command to put into words.
import type { LocalDate } from "../calendar/local-time.ts";
import { Refused } from "../refused.ts";

export type RiskRefusal =
  | { kind: "out_of_scale"; what: "likelihood" | "impact"; value: number }
  | { kind: "empty_text"; what: "description" | "plan" }
  | { kind: "not_found"; number: string }
  | { kind: "closed"; number: string }
  /** Only a manager, an admin or the plan's current owner may plan a risk. */
  | { kind: "not_allowed"; number: string }
  | { kind: "due_in_past"; due: LocalDate; today: LocalDate };

export class RiskRefused extends Refused<RiskRefusal> {
  override readonly name = "RiskRefused";

  constructor(refusal: RiskRefusal) {
    super("risk", refusal);
  }
}
