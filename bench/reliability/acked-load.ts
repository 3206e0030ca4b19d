// Open-loop load of mixed traffic that remembers which distinct events got a 200 (acked = promised to be done), which requests got none, and which clicks had their card in the answer.
import { type Answer, createLoadClient, type LoadClient, type LoadResult, openLoop } from "../load.ts";
import type { SignedRequest } from "../stream.ts";
import type { Traffic, TrafficEvent } from "./traffic.ts";

/** A request that got no 200, and why: a platform sends such a delivery again. */
export interface Unacked {
  event: TrafficEvent;
  reason: string;
}

export interface AckedLoad {
  result: LoadResult;
  /** Distinct events (by inbox key) answered 200 at least once. */
  acked: Map<string, TrafficEvent>;
  /** Card clicks (by inbox key) and how many of their 200 answers carried the redrawn card. */
  cardsInAck: Map<string, number>;
  /** Every request that got no 200, in the order sent. */
  unacked: Unacked[];
  duplicatesSent: number;
}

/** The answer shows the clicked card redrawn: Lark's `card`, DingTalk's `cardData`. */
function carriesCard(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> | null;
    return typeof parsed === "object" && parsed !== null && ("card" in parsed || "cardData" in parsed);
  } catch {
    return false;
  }
}

/** Records what one answer (or failure) means for its event. */
export function recordAnswer(load: AckedLoad, event: TrafficEvent, outcome: Answer | Error): boolean {
  if (outcome instanceof Error || outcome.status !== 200) {
    const reason = outcome instanceof Error ? outcome.message : `status ${outcome.status}`;
    load.unacked.push({ event, reason });
    return false;
  }
  load.acked.set(event.dedupKey, event);
  if (event.cardId && carriesCard(outcome.body))
    load.cardsInAck.set(event.dedupKey, (load.cardsInAck.get(event.dedupKey) ?? 0) + 1);
  return true;
}

export interface AckedLoadOptions {
  /** One server, or several taking the requests in turn (round-robin, as a load balancer would). */
  urls: string[];
  traffic: Traffic;
  rate: number;
  durationMs: number;
}

export async function runAckedLoad({
  urls,
  traffic,
  rate,
  durationMs,
}: AckedLoadOptions): Promise<AckedLoad> {
  const load: Omit<AckedLoad, "result"> = {
    acked: new Map(),
    cardsInAck: new Map(),
    unacked: [],
    duplicatesSent: 0,
  };
  const servers = urls.map((url) => createLoadClient(url, "/"));
  let turn = 0;
  const client: LoadClient = {
    async post(signed: SignedRequest): Promise<Answer> {
      const event = signed as TrafficEvent;
      if (event.duplicate) load.duplicatesSent++;
      const server = servers[turn++ % servers.length] as LoadClient;
      const outcome = await server.post(signed).catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        recordAnswer(load as AckedLoad, event, failure);
        throw failure;
      });
      recordAnswer(load as AckedLoad, event, outcome);
      return outcome;
    },
    close: () => {
      for (const server of servers) server.close();
    },
  };
  try {
    const result = await openLoop(client, traffic.next, (answer) => answer.status === 200, rate, durationMs);
    return { ...load, result };
  } finally {
    client.close();
  }
}
