// createApp(deps): receive → verify → accept → ack or answer; the only place errors become HTTP statuses.
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Dispatcher } from "./bot/dispatch.ts";
import type { PlatformId } from "./chat/events.ts";
import { PLATFORMS } from "./chat/events.ts";
import type { Clock } from "./clock.ts";
import type { Database } from "./db/database.ts";
import { claimSignature } from "./inbox/signature-uses.ts";
import type { Logger } from "./log.ts";
import { WebhookError } from "./platforms/errors.ts";
import type { CryptoPrimitives } from "./platforms/shared/crypto-primitives.ts";
import { webCryptoPrimitives } from "./platforms/shared/web-crypto.ts";
import type { PlatformAdapter, WebhookOutcome } from "./platforms/types.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Sub-routes each platform serves below /webhooks/<platform>. */
const ROUTES: Record<PlatformId, string[]> = {
  lark: [""],
  dingtalk: ["", "cards"],
  wecom: ["", "bot"],
};

export interface AppDeps {
  database: Database;
  adapters: Partial<Record<PlatformId, PlatformAdapter>>;
  /** Stores each verified event, runs it to its stored reply, and answers card clicks. */
  dispatch: Dispatcher;
  now: Clock;
  log: Logger;
  /** Digests the bodies of signed pairs that do not cover them (DingTalk); Web Crypto by default. */
  crypto?: CryptoPrimitives;
  /** Extra routes of one runtime (the Node admin routes), mounted as they are. */
  extraRoutes?: Hono;
  /** The long connections' states, reported by /healthz (Node only). */
  connections?: () => { connections: Record<string, string>; healthy: boolean } | undefined;
}

const isPlatform = (name: string): name is PlatformId => (PLATFORMS as readonly string[]).includes(name);

export function createApp(deps: AppDeps): Hono {
  const { database, adapters, dispatch, now, log } = deps;
  const primitives = deps.crypto ?? webCryptoPrimitives;
  const app = new Hono();

  app.get("/healthz", async (c) => {
    const links = deps.connections?.();
    const connections = links ? { connections: links.connections } : {};
    try {
      await database.ping();
    } catch (error) {
      log.error("healthz.db_unavailable", { error });
      return c.json({ status: "error", db: "unavailable", ...connections }, 503);
    }
    if (links && !links.healthy) return c.json({ status: "error", db: "ok", ...connections }, 503);
    return c.json({ status: "ok", db: "ok", ...connections });
  });

  const respond = async (
    adapter: PlatformAdapter,
    outcome: WebhookOutcome,
    body: Uint8Array<ArrayBuffer>,
  ): Promise<Response> => {
    if (outcome.kind !== "event") return outcome.response;
    const { event, ack, signature } = outcome;
    if (signature) {
      const use = await claimSignature(database.db, primitives, {
        platform: event.platform,
        signature,
        body,
        now: now(),
      });
      if (use === "other_body")
        throw new WebhookError("replayed_signature", "signed pair used with another body a while ago");
    }
    return dispatch.accept(adapter, event, ack);
  };

  const tooLarge = (c: Context) => {
    log.warn("webhook.rejected", { path: c.req.path, status: 413, code: "too_large" });
    return c.json({ error: "too_large" }, 413);
  };
  const streamedBodyLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  /**
   * A declared length is checked without touching the body. Only a body without one (chunked, or none) goes
   * through hono's bodyLimit, which reads it as a stream: on Node that turns every request into a full Web
   * Request with a stream over the socket, which cost more than verifying it.
   */
  const limitBody: MiddlewareHandler = (c, next) => {
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined)
      return streamedBodyLimit(c, next);
    return Number.parseInt(declared || "0", 10) > MAX_BODY_BYTES ? Promise.resolve(tooLarge(c)) : next();
  };

  app.all(
    "/webhooks/:platform/:route?",
    limitBody,
    (_c, next) => dispatch.answering(next),
    async (c) => {
      const name = c.req.param("platform");
      const route = c.req.param("route") ?? "";
      const adapter = isPlatform(name) ? adapters[name] : undefined;
      if (!isPlatform(name) || !ROUTES[name].includes(route) || !adapter) {
        log.warn("webhook.rejected", { path: c.req.path, status: 404, code: "unknown_platform" });
        return c.json({ error: "not_found" }, 404);
      }
      const body = new Uint8Array(await c.req.arrayBuffer());
      const outcome = await adapter.receive({
        route,
        method: c.req.method,
        url: new URL(c.req.url),
        headers: c.req.raw.headers,
        body,
        now: now(),
      });
      return respond(adapter, outcome, body);
    },
  );

  if (deps.extraRoutes) app.route("/", deps.extraRoutes);

  app.notFound((c) => c.json({ error: "not_found" }, 404));

  app.onError((error, c) => {
    if (error instanceof WebhookError) {
      log.warn("webhook.rejected", {
        path: c.req.path,
        status: error.status,
        code: error.code,
        reason: error.reason,
        cause: error.cause,
      });
      return c.json({ error: error.code }, error.status);
    }
    log.error("request.failed", { path: c.req.path, error });
    return c.json({ error: "internal" }, 500);
  });

  return app;
}
