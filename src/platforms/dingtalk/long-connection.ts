// DingTalk Stream: the `dingtalk-stream` client, whose robot messages and card callbacks are taken like webhook ones.
import { DWClient, type DWClientDownStream, TOPIC_CARD, TOPIC_ROBOT } from "dingtalk-stream";
import type { InboundEvent } from "../../chat/events.ts";
import type { DingTalkConfig } from "../../config/parse-env.ts";
import type { Logger } from "../../log.ts";
import type { AcceptEvent, LongConnection, ReportState } from "../long-connection.ts";
import { type Backoff, createBackoff } from "../reconnect-backoff.ts";
import type { PlatformAdapter } from "../types.ts";
import { decodeCardCallback, decodeRobotMessage } from "./decode.ts";

export interface DingTalkStreamDeps {
  config: DingTalkConfig;
  /** Renders a card click's answer exactly as the HTTP callback does; the same JSON rides in the ack. */
  adapter: PlatformAdapter;
  acceptEvent: AcceptEvent;
  report: ReportState;
  log: Logger;
  fetch?: typeof globalThis.fetch;
}

/** The client's fields this subclass steers; TypeScript calls them private, JavaScript does not. */
interface ClientInternals {
  dw_url?: string;
  reconnectInterval: number;
  socket?: { once(event: "close", listener: () => void): void };
}

/**
 * The package's client with three things changed, the library itself left as it is: the gateway is opened on
 * DINGTALK_API_BASE (the package has the public address built in), reconnects back off with jitter (the
 * package retries every second), and a frame that is not JSON is logged instead of thrown out of a socket
 * listener, where it would end the process.
 */
class GatewayClient extends DWClient {
  private stopped = false;
  private readonly backoff: Backoff = createBackoff();

  constructor(
    private readonly deps: Pick<DingTalkStreamDeps, "config" | "report" | "log"> & {
      fetch: typeof globalThis.fetch;
    },
  ) {
    super({ clientId: deps.config.clientId, clientSecret: deps.config.clientSecret, ua: "opsbot" });
    // Only the two callbacks: the package would also subscribe every event and ack it unread.
    this.config.subscriptions = [];
  }

  private get internals(): ClientInternals {
    return this as unknown as ClientInternals;
  }

  override async getEndpoint(): Promise<this> {
    const { config, fetch } = this.deps;
    const response = await fetch(`${config.apiBase}/v1.0/gateway/connections/open`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        ua: this.config.ua,
        subscriptions: this.config.subscriptions,
      }),
    });
    if (!response.ok) throw new Error(`DingTalk gateway answered HTTP ${response.status}`);
    const body = (await response.json()) as { endpoint?: unknown; ticket?: unknown };
    if (typeof body.endpoint !== "string" || typeof body.ticket !== "string")
      throw new Error("DingTalk gateway answered without an endpoint and ticket");
    this.internals.dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  override async connect(): Promise<void> {
    if (this.stopped) return;
    this.deps.report("connecting");
    // The package waits `reconnectInterval` before its next attempt, after a failure and after a drop.
    this.internals.reconnectInterval = this.backoff.next();
    await super.connect();
    if (!this.connected) return;
    this.backoff.reset();
    this.internals.reconnectInterval = this.backoff.next();
    this.deps.report("connected");
    this.internals.socket?.once("close", () => {
      if (!this.stopped) this.deps.report("connecting");
    });
  }

  override onDownStream(data: string): void {
    try {
      super.onDownStream(data);
    } catch (error) {
      this.deps.log.warn("dingtalk.stream.bad_frame", { error });
    }
  }

  stop(): void {
    this.stopped = true;
    this.disconnect();
  }
}

export function createDingTalkStream(deps: DingTalkStreamDeps): LongConnection {
  const { adapter, acceptEvent, log } = deps;
  const client = new GatewayClient({ ...deps, fetch: deps.fetch ?? globalThis.fetch.bind(globalThis) });

  const decode = (message: DWClientDownStream): InboundEvent | null => {
    const body = JSON.parse(message.data) as unknown;
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new Error("the frame's data is not a JSON object");
    const json = body as Record<string, unknown>;
    // A card callback carries no id of its own; the frame's message id is the same on every redelivery.
    return message.headers.topic === TOPIC_CARD
      ? decodeCardCallback(json, message.headers.messageId)
      : decodeRobotMessage(json);
  };

  /** The acknowledgement (with a click's answer); a frame without a message id cannot have one. */
  const acknowledge = (message: DWClientDownStream, answer: unknown) => {
    const messageId = message.headers?.messageId;
    if (!messageId) {
      log.warn("dingtalk.stream.bad_frame", { topic: message.headers?.topic, reason: "no messageId" });
      return;
    }
    client.socketCallBackResponse(messageId, answer);
  };

  const take = async (message: DWClientDownStream) => {
    let event: InboundEvent | null;
    try {
      event = decode(message);
    } catch (error) {
      // It would never decode: acknowledged, so that DingTalk does not push it again.
      log.warn("dingtalk.stream.bad_event", { topic: message.headers?.topic, error });
      acknowledge(message, {});
      return;
    }
    if (!event) {
      acknowledge(message, {});
      return;
    }
    let answer: unknown;
    try {
      answer = await acceptEvent(event, async (action, result) => {
        const rendered = await adapter.answerAction(action, result);
        return rendered ? ((await rendered.json()) as unknown) : null;
      });
    } catch (error) {
      // Not stored, so not acknowledged: DingTalk pushes it again.
      log.error("dingtalk.stream.accept_failed", { dedupKey: event.dedupKey, error });
      return;
    }
    acknowledge(message, answer ?? {});
  };
  const listener = (message: DWClientDownStream) => {
    take(message).catch((error) => log.error("dingtalk.stream.failed", { error }));
  };
  client.registerCallbackListener(TOPIC_ROBOT, listener);
  client.registerCallbackListener(TOPIC_CARD, listener);

  return {
    platform: "dingtalk",
    async start() {
      void client.connect();
    },
    async stop() {
      client.stop();
    },
  };
}
