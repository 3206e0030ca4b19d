// Lark open-platform client on fetch: cached tenant_access_token, send, reply, card updates, error mapping.
import type { LarkConfig } from "../../config/parse-env.ts";
import { SendError } from "../errors.ts";
import { hexEncode, sha256 } from "../shared/web-crypto.ts";
import type { LarkContent } from "./render.ts";

/** Lark hands out a new token only when the old one has under 30 min left; refresh at that point. */
const REFRESH_BEFORE_EXPIRY_MS = 30 * 60 * 1000;

/** Codes that mean "this tenant_access_token is missing, expired or revoked": fetch a new one and retry. */
const TOKEN_ERRORS = new Set([99991661, 99991663, 99991665, 99991668]);

/** 99991400: app-level frequency limit; 230020: too many messages to one chat or updates of one message. */
const RATE_LIMIT_ERRORS = new Set([99991400, 230020]);

/** Lark keeps a send `uuid` for 1 h and accepts at most 50 characters. */
const MAX_UUID_LENGTH = 50;

export interface LarkApiDeps {
  config: Pick<LarkConfig, "appId" | "appSecret" | "apiBase">;
  fetch: typeof globalThis.fetch;
  now: () => Date;
}

export interface LarkApi {
  /** Fetches a tenant token unless a fresh one is cached (sends then start without waiting for one). */
  prepare(): Promise<void>;
  /** Sends to a chat (chat_id) or, for an `ou_` id, to that user; returns the new message id. */
  sendToChat(chatId: string, content: LarkContent, idempotencyKey: string): Promise<string>;
  /** Replies to a message; returns the new message id. */
  reply(messageId: string, content: LarkContent, idempotencyKey: string): Promise<string>;
  /** Replaces a card the bot sent (within 14 days; the card must have update_multi). */
  patchCard(messageId: string, card: Record<string, unknown>): Promise<void>;
  /** Replaces the clicked card with the callback's token (30 min, 2 uses, only after the callback answered). */
  updateCardByToken(cardToken: string, card: Record<string, unknown>): Promise<void>;
  /**
   * Buzzes these users (open_ids, members of the message's chat) in the app about a message the bot sent;
   * returns the ids Lark refused.
   */
  urgentApp(messageId: string, openIds: readonly string[]): Promise<string[]>;
}

interface LarkAnswer {
  status: number;
  headers: Headers;
  body: { code?: unknown; msg?: unknown; [key: string]: unknown } | undefined;
}

/** The send `uuid`: the idempotency key itself when it fits, else a hash of it (same key, same uuid). */
export async function larkUuid(idempotencyKey: string): Promise<string> {
  if (idempotencyKey.length <= MAX_UUID_LENGTH) return idempotencyKey;
  return hexEncode(await sha256(idempotencyKey)).slice(0, MAX_UUID_LENGTH);
}

function retryAfterMs(headers: Headers): number | undefined {
  const seconds = Number(headers.get("x-ogw-ratelimit-reset") ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
}

/** Turns a Lark answer into its body, or the SendError the outbox acts on. */
function checked(what: string, answer: LarkAnswer): Record<string, unknown> {
  const code = typeof answer.body?.code === "number" ? answer.body.code : undefined;
  const detail = `Lark ${what} failed: HTTP ${answer.status}${code === undefined ? "" : `, code ${code}`}${
    typeof answer.body?.msg === "string" ? ` (${answer.body.msg})` : ""
  }`;
  if (answer.status === 429 || (code !== undefined && RATE_LIMIT_ERRORS.has(code)))
    throw new SendError("rate_limited", detail, retryAfterMs(answer.headers), code ?? answer.status);
  if (answer.status >= 500) throw new SendError("transient", detail, undefined, code ?? answer.status);
  if (answer.status < 300 && code === 0 && answer.body) return answer.body;
  if (answer.status < 300 && code === undefined)
    throw new SendError("transient", `Lark ${what}: unreadable answer (HTTP ${answer.status})`);
  throw new SendError("permanent", detail, undefined, code ?? answer.status);
}

export function createLarkApi({ config, fetch, now }: LarkApiDeps): LarkApi {
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function exchange(
    what: string,
    method: string,
    path: string,
    body: unknown,
    token?: string,
  ): Promise<LarkAnswer> {
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(`${config.apiBase}${path}`, { method, headers, body: JSON.stringify(body) });
    } catch (error) {
      throw new SendError(
        "transient",
        `Lark ${what}: network error (${(error as Error).message})`,
        undefined,
        undefined,
        { cause: error },
      );
    }
    let parsed: LarkAnswer["body"];
    try {
      parsed = (await response.json()) as LarkAnswer["body"];
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  async function fetchToken(): Promise<string> {
    const fetchedAt = now().getTime();
    const body = checked(
      "tenant token",
      await exchange("tenant token", "POST", "/open-apis/auth/v3/tenant_access_token/internal", {
        app_id: config.appId,
        app_secret: config.appSecret,
      }),
    );
    const token = body.tenant_access_token;
    const expire = body.expire;
    if (typeof token !== "string" || typeof expire !== "number")
      throw new SendError("transient", "Lark tenant token: answer without a token");
    cached = { token, refreshAt: fetchedAt + Math.max(0, expire * 1000 - REFRESH_BEFORE_EXPIRY_MS) };
    return token;
  }

  /** One fetch at a time: concurrent sends wait for the same token instead of each asking for one. */
  function tenantToken(): Promise<string> {
    if (cached && now().getTime() < cached.refreshAt) return Promise.resolve(cached.token);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  async function call(what: string, method: string, path: string, body: unknown) {
    const token = await tenantToken();
    let answer = await exchange(what, method, path, body, token);
    const code = answer.body?.code;
    if (typeof code === "number" && TOKEN_ERRORS.has(code)) {
      // Revoked or rotated early: forget it (unless another call already replaced it) and retry once.
      if (cached?.token === token) cached = undefined;
      answer = await exchange(what, method, path, body, await tenantToken());
    }
    return checked(what, answer);
  }

  const messageIdOf = (what: string, body: Record<string, unknown>): string => {
    const id = (body.data as { message_id?: unknown } | undefined)?.message_id;
    if (typeof id !== "string") throw new SendError("transient", `Lark ${what}: answer without a message id`);
    return id;
  };

  return {
    prepare: () => tenantToken().then(() => {}),
    async sendToChat(chatId, content, idempotencyKey) {
      const receiveIdType = chatId.startsWith("ou_") ? "open_id" : "chat_id";
      const body = await call("send", "POST", `/open-apis/im/v1/messages?receive_id_type=${receiveIdType}`, {
        receive_id: chatId,
        ...content,
        uuid: await larkUuid(idempotencyKey),
      });
      return messageIdOf("send", body);
    },
    async reply(messageId, content, idempotencyKey) {
      const path = `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/reply`;
      const body = await call("reply", "POST", path, { ...content, uuid: await larkUuid(idempotencyKey) });
      return messageIdOf("reply", body);
    },
    async patchCard(messageId, card) {
      const path = `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`;
      await call("card update", "PATCH", path, { content: JSON.stringify(card) });
    },
    async urgentApp(messageId, openIds) {
      const path = `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/urgent_app?user_id_type=open_id`;
      const body = await call("urgent", "PATCH", path, { user_id_list: openIds });
      const invalid = (body.data as { invalid_user_id_list?: unknown } | undefined)?.invalid_user_id_list;
      return Array.isArray(invalid) ? invalid.filter((id): id is string => typeof id === "string") : [];
    },
    async updateCardByToken(cardToken, card) {
      await call("delayed card update", "POST", "/open-apis/interactive/v1/card/update", {
        token: cardToken,
        card,
      });
    },
  };
}
