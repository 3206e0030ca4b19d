// WeCom server API client: cached access token, app messages and card updates, group webhooks, robot response_url.
import { SendError } from "../errors.ts";
import type { TemplateCard, WeComMessageBody } from "./render.ts";

export interface WeComApiOptions {
  /** WECOM_API_BASE; webhook and response_url targets must point at this origin. */
  apiBase: string;
  /** The self-built app; app sends fail permanently without it. */
  app?: { corpId: string; secret: string; agentId: string };
  fetch: typeof fetch;
  now: () => Date;
}

type AppCardUpdate = { userIds: string[]; responseCode: string } & (
  | { card: TemplateCard }
  | { replaceName: string }
);

export interface WeComApi {
  /**
   * Fetches the app's access token unless a fresh one is cached; nothing without an app (group webhooks and
   * response_url need no token).
   */
  prepare(): Promise<void>;
  /** message/send to one member; `response_code` comes back for interactive cards (single use, 72 h). */
  sendAppMessage(userId: string, body: WeComMessageBody): Promise<{ msgid?: string; responseCode?: string }>;
  /** message/update_template_card with a response code from a send or a click. */
  updateAppCard(update: AppCardUpdate): Promise<void>;
  /** Group-robot webhook; `urlOrKey` is the webhook URL or its bare key. */
  sendWebhook(urlOrKey: string, body: WeComMessageBody): Promise<void>;
  /** One proactive reply through an intelligent-robot event's response_url (once, within 1 h). */
  postResponseUrl(responseUrl: string, body: WeComMessageBody): Promise<void>;
}

type WeComResult = { errcode?: number; errmsg?: string } & Record<string, unknown>;

/** Token rejected: invalid (40014; also what an expired token often gets), expired (42001), bad credential (40001). */
const TOKEN_REJECTED = new Set([40014, 42001, 40001]);
/** Over a frequency (45009) or concurrency (45033) limit; WeCom blocks for 60 s on per-minute limits (90312). */
const RATE_LIMITED = new Set([45009, 45033]);
const RATE_LIMIT_PAUSE_MS = 60_000;
/** Refresh this long before the token's stated expiry. */
const TOKEN_REFRESH_MARGIN_S = 300;
/** A bare group-robot key (a UUID). */
const WEBHOOK_KEY = /^[A-Za-z0-9-]{8,128}$/;

function retryAfterMs(response: Response, now: Date): number | undefined {
  const header = response.headers.get("retry-after");
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function errcodeOf(result: WeComResult): number {
  return Number(result.errcode ?? 0);
}

/** Throws the SendError for a non-zero errcode; messages name the operation and code, never a token or key. */
function throwOnErrcode(operation: string, result: WeComResult): void {
  const code = errcodeOf(result);
  if (code === 0) return;
  const message = `wecom ${operation}: errcode ${code} ${String(result.errmsg ?? "")}`.trim();
  if (RATE_LIMITED.has(code)) throw new SendError("rate_limited", message, RATE_LIMIT_PAUSE_MS, code);
  // -1 is "系统繁忙" (system busy).
  if (code === -1) throw new SendError("transient", message, undefined, code);
  // 93000 (webhook invalid), 81013 (user not found), 40003 (bad userid), 42014 (task_id reused), 42045, …
  throw new SendError("permanent", message, undefined, code);
}

export function createWeComApi(options: WeComApiOptions): WeComApi {
  const { apiBase, app, fetch: fetchFn, now } = options;
  const base = new URL(apiBase);
  const basePath = base.pathname.replace(/\/+$/, "");
  let token: { value: string; refreshAt: number } | undefined;
  let pendingToken: Promise<string> | undefined;

  async function call(operation: string, url: string, init?: RequestInit): Promise<WeComResult> {
    let response: Response;
    try {
      response = await fetchFn(url, init);
    } catch (error) {
      throw new SendError("transient", `wecom ${operation}: network error`, undefined, undefined, {
        cause: error,
      });
    }
    if (response.status === 429)
      throw new SendError("rate_limited", `wecom ${operation}: HTTP 429`, retryAfterMs(response, now()), 429);
    if (response.status >= 500)
      throw new SendError(
        "transient",
        `wecom ${operation}: HTTP ${response.status}`,
        undefined,
        response.status,
      );
    if (!response.ok)
      throw new SendError(
        "permanent",
        `wecom ${operation}: HTTP ${response.status}`,
        undefined,
        response.status,
      );
    let result: unknown;
    try {
      result = await response.json();
    } catch (error) {
      // A proxy's error page rather than WeCom's JSON.
      throw new SendError("transient", `wecom ${operation}: answer is not JSON`, undefined, undefined, {
        cause: error,
      });
    }
    if (typeof result === "object" && result !== null) return result as WeComResult;
    throw new SendError("transient", `wecom ${operation}: answer is not a JSON object`);
  }

  const postJson = (body: unknown): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(body),
  });

  function requireApp(): NonNullable<WeComApiOptions["app"]> {
    if (!app) throw new SendError("permanent", "wecom: the self-built app is not configured");
    return app;
  }

  async function fetchToken(): Promise<string> {
    const { corpId, secret } = requireApp();
    const query = new URLSearchParams({ corpid: corpId, corpsecret: secret });
    const result = await call("gettoken", `${apiBase}/cgi-bin/gettoken?${query}`);
    throwOnErrcode("gettoken", result);
    const value = result.access_token;
    const expiresIn = Number(result.expires_in ?? 7200);
    if (typeof value !== "string" || value === "")
      throw new SendError("transient", "wecom gettoken: no access_token in the answer");
    const lifetimeS = Math.max(expiresIn - TOKEN_REFRESH_MARGIN_S, expiresIn / 2);
    token = { value, refreshAt: now().getTime() + lifetimeS * 1000 };
    return value;
  }

  function accessToken(): Promise<string> {
    if (token && now().getTime() < token.refreshAt) return Promise.resolve(token.value);
    pendingToken ??= fetchToken().finally(() => {
      pendingToken = undefined;
    });
    return pendingToken;
  }

  /** POSTs with the app token; on a rejected token, refreshes once and tries again. */
  async function callWithToken(operation: string, path: string, body: unknown): Promise<WeComResult> {
    for (let attempt = 1; ; attempt++) {
      const value = await accessToken();
      const url = `${apiBase}${path}?access_token=${encodeURIComponent(value)}`;
      const result = await call(operation, url, postJson(body));
      if (attempt === 1 && TOKEN_REJECTED.has(errcodeOf(result))) {
        if (token?.value === value) token = undefined;
        continue;
      }
      throwOnErrcode(operation, result);
      return result;
    }
  }

  /** Only WECOM_API_BASE's origin is ever called with a user- or callback-given URL (no SSRF). */
  function sameOrigin(raw: string, what: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch (error) {
      throw new SendError("permanent", `wecom: the ${what} is not a URL`, undefined, undefined, {
        cause: error,
      });
    }
    if (url.origin !== base.origin)
      throw new SendError("permanent", `wecom: the ${what} must point at ${base.host}, refused`);
    return url;
  }

  function webhookKey(urlOrKey: string): string {
    const trimmed = urlOrKey.trim();
    if (WEBHOOK_KEY.test(trimmed)) return trimmed;
    const url = sameOrigin(trimmed, "webhook URL");
    const key = url.searchParams.get("key");
    if (url.pathname !== `${basePath}/cgi-bin/webhook/send` || !key || !WEBHOOK_KEY.test(key))
      throw new SendError("permanent", "wecom: not a group-robot webhook URL");
    return key;
  }

  return {
    prepare: () => (app ? accessToken().then(() => {}) : Promise.resolve()),

    async sendAppMessage(userId, body) {
      const { agentId } = requireApp();
      const result = await callWithToken("message/send", "/cgi-bin/message/send", {
        touser: userId,
        agentid: Number(agentId),
        ...body,
      });
      const msgid = typeof result.msgid === "string" ? result.msgid : undefined;
      const responseCode = typeof result.response_code === "string" ? result.response_code : undefined;
      return { ...(msgid && { msgid }), ...(responseCode && { responseCode }) };
    },

    async updateAppCard(update) {
      const { agentId } = requireApp();
      await callWithToken("update_template_card", "/cgi-bin/message/update_template_card", {
        userids: update.userIds,
        agentid: Number(agentId),
        response_code: update.responseCode,
        ...("card" in update
          ? { template_card: update.card }
          : { button: { replace_name: update.replaceName } }),
      });
    },

    async sendWebhook(urlOrKey, body) {
      const key = webhookKey(urlOrKey);
      const result = await call(
        "webhook/send",
        `${apiBase}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`,
        postJson(body),
      );
      throwOnErrcode("webhook/send", result);
    },

    async postResponseUrl(responseUrl, body) {
      const url = sameOrigin(responseUrl, "response_url");
      throwOnErrcode("response_url", await call("response_url", url.href, postJson(body)));
    },
  };
}
