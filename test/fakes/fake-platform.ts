// What every fake platform API server offers the tests: a base URL, the recorded requests, and outages.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeAnswer, FakeRequest, Route } from "./fake-api.ts";

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. "/open-apis/im/v1/messages?receive_id_type=chat_id". */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body (or the raw text when it is not JSON). */
  body: unknown;
  /** What the fake answered. */
  status: number;
  /** The platform accepted a message for delivery (the status alone does not say so: WeCom answers 200). */
  delivered: boolean;
  /** Refused by one of the `rateLimits`, with the platform's own "too fast" answer. */
  rateLimited: boolean;
  /** When the request arrived (ms since the epoch, from the fake's clock). */
  at: number;
}

/**
 * A platform's documented send limit, enforced only when a test or bench asks for it: at most `count`
 * counted requests per key in any `perMs`; the next one gets the platform's own "too fast" answer.
 */
export interface FakeRateLimit {
  /** The key a request counts under (the app, the chat), or undefined when this limit does not count it. */
  key(request: FakeRequest): string | undefined;
  count: number;
  perMs: number;
  answer: FakeAnswer;
}

export interface FakeServerOptions {
  /** Enforce these limits (none by default: fakes accept any rate). */
  rateLimits?: readonly FakeRateLimit[];
  /** The clock `at` and the limits use; the wall clock by default. */
  now?: () => number;
}

/** A planned failure: the next `count` matching requests get this answer instead of the normal one. */
export interface Outage {
  count: number;
  status: number;
  /** Extra headers (e.g. rate-limit reset) on the failure answer. */
  headers?: Record<string, string>;
  /** Body of the failure answer; platforms put their error codes here. */
  body?: unknown;
  /** Only requests whose path starts with this prefix fail; default every API call except token fetches. */
  pathPrefix?: string;
}

export interface FakePlatform {
  /** Base URL to put in the *_API_BASE variable. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Messages accepted for delivery (sends, replies, updates), in order; the test's view of "what users saw". */
  readonly delivered: { path: string; body: unknown }[];
  /** Queue a failure. */
  fail(outage: Outage): void;
  /** Forget recorded requests and deliveries. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a loopback HTTP server that hands each request to `route` after recording it and applying
 * queued outages. Platform fakes build on this and only describe their endpoints.
 */
export async function startFakeServer(
  route: Route,
  isTokenRequest: (path: string) => boolean,
  { rateLimits = [], now = Date.now }: FakeServerOptions = {},
): Promise<FakePlatform> {
  const requests: RecordedRequest[] = [];
  /** Arrival times of the counted requests per limit and key, oldest first. */
  const windows = new Map<string, number[]>();
  const overLimit = (request: FakeRequest, at: number): FakeAnswer | undefined => {
    const counted: number[][] = [];
    for (const [index, limit] of rateLimits.entries()) {
      const key = limit.key(request);
      if (key === undefined) continue;
      const log = windows.get(`${index} ${key}`) ?? [];
      windows.set(`${index} ${key}`, log);
      while (log.length > 0 && (log[0] ?? 0) <= at - limit.perMs) log.shift();
      if (log.length >= limit.count) return limit.answer;
      counted.push(log);
    }
    for (const log of counted) log.push(at);
    return undefined;
  };
  const delivered: { path: string; body: unknown }[] = [];
  const outages: Outage[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text; the route decides whether that is an error
      }
      const path = req.url ?? "/";
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.join(",") : (value ?? ""),
        ]),
      );
      const method = req.method ?? "GET";
      const at = now();
      const outage = outages.find(
        (o) => o.count > 0 && (o.pathPrefix ? path.startsWith(o.pathPrefix) : !isTokenRequest(path)),
      );
      let answer: FakeAnswer;
      let rateLimited = false;
      if (outage) {
        outage.count--;
        if (outage.count === 0) outages.splice(outages.indexOf(outage), 1);
        answer = {
          status: outage.status,
          body: outage.body ?? { error: "fake outage" },
          headers: outage.headers ?? {},
        };
      } else {
        const request = { method, path, url: new URL(path, "http://fake"), headers, body };
        const refused = overLimit(request, at);
        rateLimited = refused !== undefined;
        answer = refused ?? route(request);
        if (answer.delivered) delivered.push({ path, body });
      }
      requests.push({
        method,
        path,
        headers,
        body,
        status: answer.status,
        delivered: answer.delivered === true,
        rateLimited,
        at,
      });
      res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", ...answer.headers });
      res.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    fail: (outage) => outages.push({ ...outage }),
    reset: () => {
      requests.length = 0;
      delivered.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
