// createApp(deps): the Hono app, and the only place errors become HTTP statuses.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Clock } from "./clock.ts";
import type { Database } from "./db/database.ts";
import type { EventHandler } from "./events/event-handler.ts";
import type { Inbox } from "./inbox/inbox.ts";
import { createProcessingQueue } from "./inbox/processing-queue.ts";
import { claimSignature } from "./inbox/signature-uses.ts";
import type { Logger } from "./log.ts";
import { WebhookError } from "./platforms/errors.ts";
import type { InboundAction, PlatformAdapter, PlatformId, WebhookOutcome } from "./platforms/types.ts";
import { PLATFORMS } from "./platforms/types.ts";

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
  inbox: Inbox;
  handler: EventHandler;
  /** Keeps background work alive after the response: waitUntil on Workers, a tracker on Node. */
  background: (work: Promise<unknown>) => void;
  now: Clock;
  log: Logger;
  /** How long a card click may take before we answer without the new card and update it later. */
  actionDeadlineMs?: number;
  /**
   * How many messages are processed at once after their ack, while no webhook request is being answered
   * (`idle`) and while some are (`busy`), and how many more wait in memory (`maxWaiting`); the rest wait
   * their turn in the inbox table.
   */
  processing?: { idle: number; busy: number; maxWaiting: number };
  /** Aborted when the server stops: running work finishes, nothing more starts. */
  signal?: AbortSignal;
  /** Extra routes of one runtime (the Node admin routes), mounted as they are. */
  extraRoutes?: Hono;
}

const isPlatform = (name: string): name is PlatformId => (PLATFORMS as readonly string[]).includes(name);

export function createApp(deps: AppDeps): Hono {
  const { database, adapters, inbox, handler, background, now, log } = deps;
  const actionDeadlineMs = deps.actionDeadlineMs ?? 1500;
  const settings = deps.processing ?? { idle: 4, busy: 1, maxWaiting: 1000 };
  // Acks first: Lark and DingTalk retry an event whose ack is late, so a burst gets the event loop.
  let answering = 0;
  const processing = createProcessingQueue({
    limit: () => (answering > 0 ? settings.busy : settings.idle),
    maxWaiting: settings.maxWaiting,
    // The reply is stored and the event done: its send waits for the platform's limits outside the slot.
    process: async (id) => {
      const outcome = await inbox.process(id, (event, attempt) =>
        event.kind === "message" ? handler.message(event, attempt) : Promise.resolve(undefined),
      );
      return outcome.status === "done" ? outcome.value : undefined;
    },
    unstarted: (count) => inbox.unstarted(count),
    background,
    ...(deps.signal ? { signal: deps.signal } : {}),
    log,
  });
  const app = new Hono();

  app.get("/healthz", async (c) => {
    try {
      await database.ping();
      return c.json({ status: "ok", db: "ok" });
    } catch (error) {
      log.error("healthz.db_unavailable", { error });
      return c.json({ status: "error", db: "unavailable" }, 503);
    }
  });

  const answerAction = async (adapter: PlatformAdapter, id: number, event: InboundAction, ack: Response) => {
    const work = inbox.process(id, (stored) => handler.action(stored as InboundAction));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), actionDeadlineMs);
    });
    const outcome = await Promise.race([work, late]);
    clearTimeout(timer);
    if (outcome === "late") {
      // Too slow for the callback window: answer now, show the result once it is there.
      background(
        work.then((finished) =>
          finished.status === "done" ? handler.actionFollowUp(event, finished.value) : undefined,
        ),
      );
      return ack;
    }
    if (outcome.status !== "done") return ack;
    const answer = await adapter.answerAction(event, outcome.value);
    if (answer) return answer;
    background(handler.actionFollowUp(event, outcome.value));
    return ack;
  };

  const respond = async (
    adapter: PlatformAdapter,
    outcome: WebhookOutcome,
    body: Uint8Array<ArrayBuffer>,
  ): Promise<Response> => {
    if (outcome.kind !== "event") return outcome.response;
    const { event, ack, signature } = outcome;
    if (signature) {
      const use = await claimSignature(database.db, {
        platform: event.platform,
        signature,
        body,
        now: now(),
      });
      if (use === "other_body")
        throw new WebhookError("replayed_signature", "signed pair already used with another body");
    }
    const stored = await inbox.accept(event);
    // A redelivery: the first delivery owns the work (or the sweep does, if that one died).
    if (!stored.inserted) return ack;
    if (event.kind === "action") return answerAction(adapter, stored.id, event, ack);
    processing.add(stored.id);
    return ack;
  };

  app.all(
    "/webhooks/:platform/:route?",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        log.warn("webhook.rejected", { path: c.req.path, status: 413, code: "too_large" });
        return c.json({ error: "too_large" }, 413);
      },
    }),
    async (_c, next) => {
      answering++;
      try {
        await next();
      } finally {
        answering--;
        if (answering === 0) processing.wake();
      }
    },
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
