// Who does something, when, and from which platform message: the one shape every change and its audit row take.
import type { PlatformId } from "../chat/events.ts";
import type { AuditEntry } from "./audit.ts";
import type { Role } from "./people/role.ts";

export interface Actor {
  /** The person behind the platform account (people.id). */
  personId: number;
  name: string;
  /** Roles from the database, never from anything the event carried. */
  roles: readonly Role[];
  platform: PlatformId;
  /** The platform message the change came from; a click has no message id of its own, so its event key. */
  platformMessageId: string;
  at: Date;
}

/** The audit row's who, when and where for a change by `actor`. */
export const auditedBy = (
  actor: Actor,
): Pick<AuditEntry, "at" | "actorPersonId" | "platform" | "platformMessageId"> => ({
  at: actor.at,
  actorPersonId: actor.personId,
  platform: actor.platform,
  platformMessageId: actor.platformMessageId,
});
