// Checks on the calls a proxy saw: the platforms' published send limits (failed attempts count too), and double deliveries.
import type { ProxiedCall } from "./outage-proxy.ts";

export interface RateCheck {
  /** Most calls seen in any window, against the limit. */
  worst: number;
  limit: number;
  windowMs: number;
  name: string;
  /** Where the busiest window was and its calls' times (ms from the first), to see what went over. */
  busiest?: { destination: string; offsetsMs: number[]; statuses: number[] };
}

/** The most calls within any `windowMs` among `times` (ascending), and where that window starts. */
function busiestWindow(times: number[], windowMs: number): { worst: number; from: number } {
  let worst = 0;
  let from = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= windowMs) first++;
    if (last - first + 1 > worst) [worst, from] = [last - first + 1, first];
  }
  return { worst, from };
}

/** Per-destination and whole-app windows of the calls that send something (token fetches left out). */
export function checkRates(
  name: string,
  calls: ProxiedCall[],
  destinationOf: (call: ProxiedCall) => string | undefined,
  limits: { app: { count: number; perMs: number }; target: { count: number; perMs: number } },
): RateCheck[] {
  const sends = calls.filter((call) => destinationOf(call) !== undefined);
  const byDestination = new Map<string, ProxiedCall[]>();
  for (const call of sends) {
    const key = destinationOf(call) as string;
    byDestination.set(key, [...(byDestination.get(key) ?? []), call]);
  }
  const app = busiestWindow(
    sends.map((call) => call.at),
    limits.app.perMs,
  );
  const perTarget: RateCheck = {
    name: `${name} per destination`,
    worst: 0,
    limit: limits.target.count,
    windowMs: limits.target.perMs,
  };
  for (const [destination, list] of byDestination) {
    const { worst, from } = busiestWindow(
      list.map((call) => call.at),
      limits.target.perMs,
    );
    if (worst <= perTarget.worst) continue;
    const window = list.slice(from, from + worst);
    const start = window[0]?.at ?? 0;
    perTarget.worst = worst;
    perTarget.busiest = {
      destination,
      offsetsMs: window.map((call) => Math.round(call.at - start)),
      statuses: window.map((call) => call.status),
    };
  }
  return [
    { name: `${name} app`, worst: app.worst, limit: limits.app.count, windowMs: limits.app.perMs },
    perTarget,
  ];
}

const bodyField = (call: ProxiedCall, field: string): string | undefined => {
  try {
    const value = (JSON.parse(call.body) as Record<string, unknown>)[field];
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
};

/** Lark sends: to a chat (receive_id) or as a reply in a message's chat; card updates are not sends. */
export const larkDestination = (call: ProxiedCall): string | undefined => {
  if (call.path.startsWith("/open-apis/im/v1/messages?")) return bodyField(call, "receive_id");
  return /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply/.test(call.path) ? call.path : undefined;
};

/** DingTalk sends: group messages by conversation, cards by space, session replies by session. */
export const dingtalkDestination = (call: ProxiedCall): string | undefined => {
  if (call.path.startsWith("/v1.0/robot/groupMessages/send")) return bodyField(call, "openConversationId");
  if (call.path.startsWith("/v1.0/card/instances/createAndDeliver")) return bodyField(call, "openSpaceId");
  if (call.path.startsWith("/robot/sendBySession")) return call.path;
  return undefined;
};

/** The published limits the checks hold the calls to (Lark: 5/s per chat, 50/s per app; DingTalk: 20/min per group, 20/s per app). */
export const PUBLISHED_LIMITS = {
  lark: { app: { count: 50, perMs: 1000 }, target: { count: 5, perMs: 1000 } },
  dingtalk: { app: { count: 20, perMs: 1000 }, target: { count: 20, perMs: 60_000 } },
};

/** How many messages the platform accepted more than once (same bytes, same place), and how many in all. */
export function deliveredTwice(
  calls: ProxiedCall[],
  isSend: (call: ProxiedCall) => boolean,
): [number, number] {
  const seen = new Map<string, number>();
  for (const call of calls) {
    if (call.outage || call.status !== 200 || !isSend(call)) continue;
    const key = `${call.path.replace(/[?&]access_token=[^&]*/, "")} ${call.body}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const counts = [...seen.values()];
  return [counts.filter((n) => n > 1).length, counts.length];
}
