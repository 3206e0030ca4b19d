// A chat message as a platform adapter decodes it, for tests that hand events to the inbox, bot or router.
import type { InboundMessage } from "../../src/chat/events.ts";

/** `id` is the platform's message id; the dedup key and reply handle follow from it unless given. */
export function inboundMessage(id: string, fields: Partial<InboundMessage> = {}): InboundMessage {
  const platform = fields.platform ?? "lark";
  return {
    kind: "message",
    platform,
    dedupKey: `${platform}:msg:${id}`,
    chat: { id: "oc_floor", kind: "group" },
    sender: { id: "ou_wang", name: "王伟" },
    text: "/help",
    mentions: [],
    messageId: id,
    reply: { messageId: id },
    ...fields,
  };
}
