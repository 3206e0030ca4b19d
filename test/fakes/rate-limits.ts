// The platforms' documented send limits as the fakes enforce them on request (FakeServerOptions.rateLimits).
import type { FakeRequest } from "./fake-api.ts";
import type { FakeRateLimit } from "./fake-platform.ts";

const isLarkSend = (request: FakeRequest) =>
  request.method === "POST" && request.url.pathname.startsWith("/open-apis/im/v1/messages");

/** Lark answers an over-limit call with 429, code 99991400 and the seconds until the window resets. */
const LARK_TOO_FAST = {
  status: 429,
  body: { code: 99991400, msg: "request trigger frequency limit" },
  headers: { "x-ogw-ratelimit-limit": "50", "x-ogw-ratelimit-reset": "1" },
};

/** Lark: 50 sends a second and 1,000 a minute per app, and 5 a second per chat (shared by every bot in it). */
export const LARK_RATE_LIMITS: FakeRateLimit[] = [
  {
    key: (request) => (isLarkSend(request) ? "app" : undefined),
    count: 50,
    perMs: 1000,
    answer: LARK_TOO_FAST,
  },
  {
    key: (request) => (isLarkSend(request) ? "app" : undefined),
    count: 1000,
    perMs: 60_000,
    answer: { ...LARK_TOO_FAST, headers: { "x-ogw-ratelimit-limit": "1000", "x-ogw-ratelimit-reset": "60" } },
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

/** Every DingTalk server API call but the token's (which has its own limit and is not a send). */
const isDingTalkApiCall = (request: FakeRequest) =>
  request.url.pathname.startsWith("/v1.0/") && !request.url.pathname.startsWith("/v1.0/oauth2/");

/**
 * DingTalk: 20 calls a second per app and API on the standard edition (DT-1433), refused with HTTP 403 and
 * Forbidden.AccessDenied.QpsLimitForAppkeyAndApi; and 20 robot messages a minute per group, the limit the
 * adapter paces to: DingTalk documents it for robots (DT-0702) and lists send.too.fast, a 400, among
 * groupMessages/send's errors (DT-0716). The adapter reads the code; the texts here are not DingTalk's.
 */
export const DINGTALK_RATE_LIMITS: FakeRateLimit[] = [
  {
    key: (request) => (isDingTalkApiCall(request) ? `api ${request.url.pathname}` : undefined),
    count: 20,
    perMs: 1000,
    answer: {
      status: 403,
      body: {
        code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
        message: "qps limit for appkey and api",
        requestid: "fake",
      },
    },
  },
  {
    key(request) {
      if (request.method !== "POST" || request.url.pathname !== "/v1.0/robot/groupMessages/send")
        return undefined;
      const group = (request.body as { openConversationId?: unknown } | undefined)?.openConversationId;
      return typeof group === "string" ? `group ${group}` : undefined;
    },
    count: 20,
    perMs: 60_000,
    answer: { status: 400, body: { code: "send.too.fast", message: "send too fast", requestid: "fake" } },
  },
];

/** WeCom answers every over-limit call with HTTP 200 and errcode 45009 (90312, 99110). */
const WECOM_TOO_FAST = { status: 200, body: { errcode: 45009, errmsg: "api freq out of limit" } };

/**
 * WeCom: 10,000 calls a minute per corp and API (90312), and 20 messages a minute per group robot (99110).
 * An app's 30 a minute to one member are not here: WeCom drops those without an error, nothing to answer.
 */
export const WECOM_RATE_LIMITS: FakeRateLimit[] = [
  {
    key: (request) =>
      request.url.pathname.startsWith("/cgi-bin/") && request.url.pathname !== "/cgi-bin/gettoken"
        ? `api ${request.url.pathname}`
        : undefined,
    count: 10_000,
    perMs: 60_000,
    answer: WECOM_TOO_FAST,
  },
  {
    key(request) {
      if (request.url.pathname !== "/cgi-bin/webhook/send") return undefined;
      return `robot ${request.url.searchParams.get("key") ?? ""}`;
    },
    count: 20,
    perMs: 60_000,
    answer: WECOM_TOO_FAST,
  },
];
