// Adapters that only record what the outbox sends through them, for tests about what goes where.
import type { OutboundMessage } from "../../src/chat/card.ts";
import type { PlatformId, SendTarget } from "../../src/chat/events.ts";
import type { PlatformAdapter } from "../../src/platforms/types.ts";

export interface Sent {
  platform: PlatformId;
  key: string;
  target: SendTarget;
  message: OutboundMessage;
}

function recordingAdapter(id: PlatformId, sent: Sent[]): PlatformAdapter {
  return {
    id,
    limits: { app: { count: 1000, perMs: 1000 }, target: { count: 100, perMs: 1000 } },
    receive: () => Promise.reject(new Error("not used")),
    answerAction: () => Promise.resolve(null),
    prepareSends: () => Promise.resolve(),
    async send(target, message, key) {
      sent.push({ platform: id, key, target, message });
      return { messageId: `sent-${sent.length}` };
    },
  };
}

/** One recording adapter per platform, all writing into `sent`. */
export function recordingAdapters(sent: Sent[]): Record<PlatformId, PlatformAdapter> {
  return {
    lark: recordingAdapter("lark", sent),
    dingtalk: recordingAdapter("dingtalk", sent),
    wecom: recordingAdapter("wecom", sent),
  };
}
