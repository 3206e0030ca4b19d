// Open-loop load of mixed traffic that remembers which distinct events got a 200 (acked = promised to be done).
import { type Answer, createLoadClient, type LoadClient, type LoadResult, openLoop } from "../load.ts";
import type { SignedRequest } from "../stream.ts";
import type { Traffic, TrafficEvent } from "./traffic.ts";

export interface AckedLoad {
  result: LoadResult;
  /** Distinct events (by inbox key) answered 200 at least once. */
  acked: Map<string, TrafficEvent>;
  duplicatesSent: number;
}

export interface AckedLoadOptions {
  /** One server, or several taking the requests in turn (round-robin, as a load balancer would). */
  urls: string[];
  traffic: Traffic;
  rate: number;
  durationMs: number;
  /** Called after each 200 with the number of distinct events acked so far (e.g. to crash the server). */
  onAck?: (acked: number) => void;
}

export async function runAckedLoad({
  urls,
  traffic,
  rate,
  durationMs,
  onAck = () => {},
}: AckedLoadOptions): Promise<AckedLoad> {
  const acked = new Map<string, TrafficEvent>();
  let duplicatesSent = 0;
  const servers = urls.map((url) => createLoadClient(url, "/"));
  let turn = 0;
  const client: LoadClient = {
    async post(signed: SignedRequest): Promise<Answer> {
      const event = signed as TrafficEvent;
      if (event.duplicate) duplicatesSent++;
      const answer = await (servers[turn++ % servers.length] as LoadClient).post(signed);
      if (answer.status === 200) {
        acked.set(event.dedupKey, event);
        onAck(acked.size);
      }
      return answer;
    },
    close: () => {
      for (const server of servers) server.close();
    },
  };
  try {
    const result = await openLoop(client, traffic.next, (answer) => answer.status === 200, rate, durationMs);
    return { result, acked, duplicatesSent };
  } finally {
    client.close();
  }
}
