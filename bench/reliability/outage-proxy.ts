// A loopback proxy in front of one fake platform API: records every call with its time, and plays an outage on demand (refusals, or answers lost after the platform accepted).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedCall {
  /** performance.now() when the call arrived. */
  at: number;
  method: string;
  /** Path and query. */
  path: string;
  body: string;
  status: number;
  /** Answered by the outage, not by the platform. */
  outage: boolean;
  /** Forwarded and answered by the platform, but the answer never reached the caller (its connection dropped). */
  answerLost: boolean;
}

export interface OutageProxy {
  /** Base URL to give the server as the platform's API base. */
  readonly url: string;
  readonly calls: ProxiedCall[];
  /** From now on every call is answered with these statuses in turn (e.g. 429 and 500), token fetches included. */
  down(statuses: number[]): void;
  /**
   * From now on every call reaches the platform, which acts on it, but its answer is dropped with the
   * connection: the caller cannot tell an accepted send from a lost one.
   */
  loseAnswers(): void;
  up(): void;
  close(): Promise<void>;
}

/** What a platform gateway says when it refuses; the adapters read the status, the body only for logs. */
const OUTAGE_BODY = JSON.stringify({ code: 99991400, errcode: 45009, msg: "outage", errmsg: "outage" });

export async function startOutageProxy(target: string): Promise<OutageProxy> {
  const calls: ProxiedCall[] = [];
  let failWith: number[] = [];
  let failed = 0;
  let answersLost = false;

  const forward = async (req: IncomingMessage, body: Buffer) => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (key === "host" || key === "content-length" || key === "connection" || value === undefined) continue;
      headers.set(key, Array.isArray(value) ? value.join(",") : value);
    }
    const method = req.method ?? "GET";
    return fetch(`${target}${req.url ?? "/"}`, {
      method,
      headers,
      ...(method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) }),
    });
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const call = { at, method: req.method ?? "GET", path: req.url ?? "/", body: body.toString("utf8") };
      if (failWith.length > 0) {
        const status = failWith[failed++ % failWith.length] as number;
        calls.push({ ...call, status, outage: true, answerLost: false });
        res.writeHead(status, { "content-type": "application/json", "retry-after": "1" });
        res.end(OUTAGE_BODY);
        return;
      }
      try {
        const answer = await forward(req, body);
        const text = await answer.text();
        const lost = answersLost;
        calls.push({ ...call, status: answer.status, outage: false, answerLost: lost });
        if (lost) {
          res.socket?.destroy();
          return;
        }
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" });
        res.end(text);
      } catch (error) {
        calls.push({ ...call, status: 502, outage: false, answerLost: false });
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(error instanceof Error ? error.message : String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    down(statuses) {
      answersLost = false;
      failWith = statuses;
    },
    loseAnswers() {
      failWith = [];
      answersLost = true;
    },
    up() {
      failWith = [];
      answersLost = false;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
