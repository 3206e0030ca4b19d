// The words after "/subscribe <topic>": an optional HH:MM and, in WeCom, the group robot's webhook (URL or key).

import { UserError } from "../../src/bot/index.ts";
import type { PlatformId } from "../../src/chat/events.ts";
import type { Bilingual } from "../../src/chat/language.ts";
import { DEFAULT_DIGEST_TIME, REVIEW_PACK_TIME, SCHEDULE_TIME } from "../../src/domain/policy.ts";
import type { Topic } from "../../src/domain/subscriptions/subscriptions.ts";
import { mayBeWebhook, parseWeComWebhook } from "../../src/domain/subscriptions/wecom-webhook.ts";

export interface SubscribeOptions {
  /** "HH:MM" for the digest (default 09:00) and the schedule (default 08:00); null for alerts, the review and finance. */
  sendAt: string | null;
  /** Canonical webhook URL, when one was given. */
  webhookUrl?: string;
}

interface OptionsContext {
  topic: Topic;
  platform: PlatformId;
  /** WECOM_API_BASE: the only origin a webhook may point at; undefined when WeCom is off. */
  wecomApiBase: string | undefined;
  /** The command's usage line, appended to every refusal. */
  usage: Bilingual;
}

/** When a daily push goes out unless the group names a time. */
const DEFAULT_TIMES = { digest: DEFAULT_DIGEST_TIME, schedule: SCHEDULE_TIME } as const;

// The kit's tokenizer already split on these; the rest of the line keeps them as typed.
const WORD_SEPARATORS = /[\s\u200b\u2060，；]+/u;
/** Anything written like a time ("9:30", "０９：３０", "25:00"), checked properly by sendAtOf. */
const TIME_LIKE = /^\d{1,2}:\d{1,2}$/;

/** "9:05" → "09:05"; a time outside 00:00–23:59 or without two-digit minutes is refused. */
function sendAtOf(typed: string, usage: Bilingual): string {
  const match = /^(\d{1,2}):(\d{2})$/.exec(typed.normalize("NFKC"));
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 23 || minutes > 59) {
    const shown = mayBeWebhook(typed) ? "" : `: ${typed}`;
    throw new UserError(
      `时间必须是 00:00 到 23:59 之间的 HH:MM${shown} — ${usage.zh}`,
      `the time must be HH:MM between 00:00 and 23:59${shown} — ${usage.en}`,
    );
  }
  return `${String(hours).padStart(2, "0")}:${match[2]}`;
}

/** The canonical webhook URL for a typed URL or key; refused without echoing it. */
function webhookOf(typed: string, wecomApiBase: string | undefined, usage: Bilingual): string {
  const url = wecomApiBase ? parseWeComWebhook(typed, wecomApiBase) : undefined;
  if (url) return url;
  const expected = `${wecomApiBase ?? ""}/cgi-bin/webhook/send?key=…`;
  throw new UserError(
    `这不是群机器人的 Webhook 地址 (${expected}) 或 key — ${usage.zh}`,
    `that is not a group robot webhook URL (${expected}) or key — ${usage.en}`,
  );
}

const wordsOf = (rest: string | undefined): string[] => (rest ?? "").split(WORD_SEPARATORS).filter(Boolean);

/**
 * The words that are neither a time nor one of `keep` (the topic): the webhook URL or key where one is
 * expected, a mistake elsewhere; either way possibly a robot's key, so never stored as typed.
 */
export function webhookLikeWords(argumentText: string, keep: readonly string[]): string[] {
  const kept = new Set(keep.map((word) => word.normalize("NFKC").toLowerCase()));
  return wordsOf(argumentText).filter((word) => {
    const folded = word.normalize("NFKC").toLowerCase();
    return !TIME_LIKE.test(folded) && !kept.has(folded);
  });
}

/**
 * Reads "[HH:MM] [webhook]" (either order; the webhook only in WeCom) from the rest of the line. A webhook is
 * never echoed back in an error: it is a secret that lets anyone post to the group.
 */
export function parseSubscribeOptions(rest: string | undefined, context: OptionsContext): SubscribeOptions {
  const { topic, platform, wecomApiBase, usage } = context;
  const words = wordsOf(rest);
  let sendAt: string | undefined;
  let webhookUrl: string | undefined;
  for (const word of words) {
    const isTime = TIME_LIKE.test(word.normalize("NFKC"));
    if (sendAt === undefined && (isTime || platform !== "wecom")) sendAt = sendAtOf(word, usage);
    else if (webhookUrl === undefined && !isTime && platform === "wecom")
      webhookUrl = webhookOf(word, wecomApiBase, usage);
    else throw new UserError(`多余的参数 — ${usage.zh}`, `too many arguments — ${usage.en}`);
  }
  if ((topic === "alerts" || topic === "finance") && sendAt !== undefined) {
    const what = topic === "alerts" ? { zh: "告警", en: "alerts" } : { zh: "报销单", en: "reimbursements" };
    throw new UserError(
      `${what.zh}随时即时推送, 不需要时间 — ${usage.zh}`,
      `${what.en} are sent the moment they happen; they take no time — ${usage.en}`,
    );
  }
  if (topic === "review" && sendAt !== undefined) {
    throw new UserError(
      `月度评审材料在每月第一个工作日 ${REVIEW_PACK_TIME} 发送, 不需要时间 — ${usage.zh}`,
      `the review pack goes out on each month's first working day at ${REVIEW_PACK_TIME}; it takes no time — ${usage.en}`,
    );
  }
  return {
    sendAt: topic === "digest" || topic === "schedule" ? (sendAt ?? DEFAULT_TIMES[topic]) : null,
    ...(webhookUrl && { webhookUrl }),
  };
}
