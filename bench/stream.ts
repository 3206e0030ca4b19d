// The benchmark's input: unique Lark message events and card clicks, encrypted and signed at send time.
import { larkCardAction, larkMessageEvent, signLarkRequest } from "../test/helpers/lark-signer.ts";

/** The bench app's Lark credentials; the same ones go to opsbot, the SDK baseline and the fake Lark. */
export const BENCH_LARK = {
  appId: "cli_be0c4be0c4be0c40",
  appSecret: "bench-app-secret",
  verificationToken: "bench-verification-token",
  encryptKey: "bench-encrypt-key",
} as const;

export const LARK_WEBHOOK_PATH = "/webhooks/lark";

/** What every message says: a real command, so each event also makes a reply through the outbox. */
const MESSAGE_TEXT = "/help";
/** Spread over chats and people as a busy tenant would be (the per-chat send limit is 5/s). */
const CHATS = 50;
const SENDERS = 500;

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
  /** Path and query when it differs per request (WeCom signs in the query); else the client's path. */
  path?: string;
}

export interface EventStream {
  /** A new im.message.receive_v1 (never seen before, so opsbot inserts it). */
  message(): SignedRequest;
  /** A new card.action.trigger on the help card's language button. */
  cardClick(): SignedRequest;
}

/** `runId` keeps ids unique across runs; `sequence` numbers every request of this run. */
export function createEventStream(runId: string): EventStream {
  let sequence = 0;
  const sign = (payload: unknown, nonce: string): SignedRequest =>
    signLarkRequest(payload, {
      encryptKey: BENCH_LARK.encryptKey,
      // Signed now: the wall clock is what a real Lark request carries.
      timestamp: String(Math.floor(Date.now() / 1000)),
      nonce,
    });

  return {
    message() {
      const n = sequence++;
      const messageId = `om_bench_${runId}_${n}`;
      const payload = larkMessageEvent({
        token: BENCH_LARK.verificationToken,
        text: MESSAGE_TEXT,
        messageId,
        eventId: `ev_bench_${runId}_${n}`,
        chatId: `oc_bench_${n % CHATS}`,
        senderOpenId: `ou_bench_${n % SENDERS}`,
        createTime: String(Date.now()),
      });
      return sign(payload, `nonce-${runId}-${n}`);
    },
    cardClick() {
      const n = sequence++;
      const payload = larkCardAction({
        token: BENCH_LARK.verificationToken,
        value: { action: "help.language", id: "", lang: "en", topic: "" },
        eventId: `ev_bench_card_${runId}_${n}`,
        cardToken: `c-bench-${runId}-${n}`,
        operatorOpenId: `ou_bench_${n % SENDERS}`,
        chatId: `oc_bench_${n % CHATS}`,
        messageId: `om_bench_card_${runId}_${n % CHATS}`,
      });
      return sign(payload, `nonce-${runId}-${n}`);
    },
  };
}
