// The load generator: keep-alive HTTP posts, open-loop at a fixed rate or closed-loop at a fixed concurrency.
import { Agent, request } from "node:http";
import type { SignedRequest } from "./stream.ts";

/**
 * Lark waits 3 s for an answer and then counts the delivery as failed (and retries it), so a request not
 * answered within that time (waiting for a socket included) is dropped and counts as an error.
 */
const REQUEST_DEADLINE_MS = 3000;

export interface Answer {
  status: number;
  body: string;
  /** From just before the request was written to the last byte of the answer. */
  ms: number;
}

/** Decides whether an answer is the one the scenario expects (a `{}` ack, a card). */
export type AnswerCheck = (answer: Answer) => boolean;

export interface LoadClient {
  post(signed: SignedRequest): Promise<Answer>;
  close(): void;
}

export function createLoadClient(baseUrl: string, path: string, maxSockets = 256): LoadClient {
  const target = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    post: (signed) =>
      new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const req = request(
          {
            host: target.hostname,
            port: target.port,
            path: signed.path ?? path,
            method: "POST",
            agent,
            headers: { ...signed.headers, "content-length": Buffer.byteLength(signed.body) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => {
              clearTimeout(deadline);
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString("utf8"),
                ms: Number(process.hrtime.bigint() - started) / 1e6,
              });
            });
            res.on("error", reject);
          },
        );
        const deadline = setTimeout(
          () => req.destroy(new Error("no answer within 3 s")),
          REQUEST_DEADLINE_MS,
        );
        req.on("error", (error) => {
          clearTimeout(deadline);
          reject(error);
        });
        req.end(signed.body);
      }),
    close: () => agent.destroy(),
  };
}

export interface LoadResult {
  sent: number;
  ok: number;
  errors: number;
  /** Why requests failed, e.g. "status 500" or "no answer within 3 s", with counts. */
  errorKinds: Record<string, number>;
  /** Latencies of the good answers, in ms. */
  latencies: number[];
  /** From the first request to the last answer. */
  elapsedMs: number;
}

function createTally() {
  const result: LoadResult = { sent: 0, ok: 0, errors: 0, errorKinds: {}, latencies: [], elapsedMs: 0 };
  const fail = (kind: string) => {
    result.errors++;
    result.errorKinds[kind] = (result.errorKinds[kind] ?? 0) + 1;
  };
  /** Sends one request and records its outcome; never rejects. */
  const send = async (client: LoadClient, signed: SignedRequest, check: AnswerCheck) => {
    result.sent++;
    try {
      const answer = await client.post(signed);
      if (check(answer)) {
        result.ok++;
        result.latencies.push(answer.ms);
      } else {
        // The start of the body tells an ack without a card from an error answer.
        fail(`status ${answer.status}: ${JSON.stringify(answer.body.slice(0, 40))}`);
      }
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  };
  return { result, send };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Open loop: request i starts at start + i/rate whatever the answers do, so a slow server builds a queue
 * instead of slowing the generator down (no coordinated omission from waiting on answers).
 */
export async function openLoop(
  client: LoadClient,
  next: () => SignedRequest,
  check: AnswerCheck,
  rate: number,
  durationMs: number,
): Promise<LoadResult> {
  const { result, send } = createTally();
  const total = Math.round((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  let index = 0;
  while (index < total) {
    const wait = started + index * interval - performance.now();
    if (wait > 1) await sleep(wait - 0.5);
    // Timers fire late by a millisecond or so: send everything that is due by now.
    while (index < total && started + index * interval <= performance.now()) {
      inFlight.push(send(client, next(), check));
      index++;
    }
    if (index < total && started + index * interval > performance.now() + 1) continue;
    // Less than a millisecond to the next one: yield so that answers are read.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await Promise.all(inFlight);
  result.elapsedMs = performance.now() - started;
  return result;
}

/** Closed loop: `concurrency` senders, each sending its next request as soon as its last one is answered. */
export async function closedLoop(
  client: LoadClient,
  next: () => SignedRequest,
  check: AnswerCheck,
  concurrency: number,
  durationMs: number,
): Promise<LoadResult> {
  const { result, send } = createTally();
  const started = performance.now();
  const deadline = started + durationMs;
  const sender = async () => {
    while (performance.now() < deadline) await send(client, next(), check);
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  result.elapsedMs = performance.now() - started;
  return result;
}
