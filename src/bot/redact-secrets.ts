// A message as the inbox may keep it: the secrets typed into a command (its `secretWords`) replaced.
import type { InboundEvent } from "../chat/events.ts";
import { typedSecrets } from "./parse.ts";
import type { Registry } from "./registry.ts";

const REDACTED = "[redacted]";

export function secretRedactor(registry: Registry): (event: InboundEvent) => InboundEvent {
  return (event) => {
    if (event.kind !== "message") return event;
    const secrets = typedSecrets(event.text, event.mentions, registry);
    if (secrets.length === 0) return event;
    // Longest first, so a secret that contains another is replaced whole.
    const text = [...secrets]
      .sort((a, b) => b.length - a.length)
      .reduce((redacted, secret) => redacted.split(secret).join(REDACTED), event.text);
    return { ...event, text };
  };
}
