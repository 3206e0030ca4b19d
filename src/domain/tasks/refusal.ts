// Why a task change was refused, with the task as it stands, for the caller to put into words.
import type { LocalDate } from "../calendar/local-time.ts";
import { Refused } from "../refused.ts";
import type { Task } from "./store.ts";

export type TaskRefusal =
  | { kind: "empty_title" }
  | { kind: "due_in_past"; due: LocalDate; today: LocalDate }
  | { kind: "not_found"; number: string }
  | { kind: "already_done"; task: Task }
  /** Only the owner, the creator, a manager or an admin may complete or snooze it. */
  | { kind: "not_allowed"; task: Task }
  /** Others kept changing it while we tried; nothing was written. */
  | { kind: "busy"; number: string };

export class TaskRefused extends Refused<TaskRefusal> {
  override readonly name = "TaskRefused";

  constructor(refusal: TaskRefusal) {
    super("task", refusal);
  }
}
