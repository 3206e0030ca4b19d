// The person behind an account a message names, made on first mention: nobody has to write to the bot before
// being given a task, an action or a seat at a meeting.
import type { InboundMessage, Person } from "../src/chat/events.ts";
import type { KnownPerson } from "../src/domain/people/people.ts";
import type { DomainServices } from "../src/domain/services.ts";

export function personMentioned(
  people: DomainServices["people"],
  account: Person,
  event: InboundMessage,
  at: Date,
): Promise<KnownPerson> {
  return people.forContact({
    platform: event.platform,
    userId: account.id,
    name: account.name,
    bootstrapAdmin: false,
    now: at,
  });
}
