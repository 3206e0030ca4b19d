// The platforms' documented send limits as the fakes enforce them on request (FakeServerOptions.rateLimits).
import type { FakeRequest } from "../../src/console/platform-fakes/fake-api.ts";
import type { FakeRateLimit } from "./fake-platform.ts";

const isLarkSend = (request: FakeRequest) =>
  request.method === "POST" && request.url.pathname.startsWith("/open-apis/im/v1/messages");

/** Lark answers an over-limit call with 429, code 99991400 and the seconds until the window resets. */
const LARK_TOO_FAST = {
  status: 429,
  body: { code: 99991400, msg: "request trigger frequency limit" },
  headers: { "x-ogw-ratelimit-limit": "50", "x-ogw-ratelimit-reset": "1" },
};

/** Lark: 50 sends a second per app, and 5 a second per chat (shared by every bot in it). */
export const LARK_RATE_LIMITS: FakeRateLimit[] = [
  {
    key: (request) => (isLarkSend(request) ? "app" : undefined),
    count: 50,
    perMs: 1000,
    answer: LARK_TOO_FAST,
  },
  {
    key(request) {
      if (!isLarkSend(request)) return undefined;
      const chat = (request.body as { receive_id?: unknown } | undefined)?.receive_id;
      return typeof chat === "string" ? `chat ${chat}` : request.url.pathname;
    },
    count: 5,
    perMs: 1000,
    answer: LARK_TOO_FAST,
  },
];
