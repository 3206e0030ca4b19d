// Lark's long connection: the SDK's WSClient, whose events and card callbacks are taken like webhook events.
import * as lark from "@larksuiteoapi/node-sdk";
import type { LarkConfig } from "../../config/parse-env.ts";
import type { Logger } from "../../log.ts";
import type { AcceptEvent, LongConnection, ReportState } from "../long-connection.ts";
import type { PlatformAdapter } from "../types.ts";
import { decodeLarkEnvelope } from "./decode.ts";
import type { LarkEnvelope } from "./verify.ts";

export interface LarkLongConnectionDeps {
  config: LarkConfig;
  /** Renders a card click's answer exactly as the webhook does; the same JSON rides in the frame's ack. */
  adapter: PlatformAdapter;
  acceptEvent: AcceptEvent;
  report: ReportState;
  log: Logger;
}

/** The SDK's lines go through our logger, which masks secrets; its debug lines (with payloads) stay off. */
function sdkLogger(log: Logger): lark.Logger {
  const text = (parts: unknown[]) =>
    parts.map((part) => (typeof part === "string" ? part : String(part))).join(" ");
  return {
    error: (...parts) => log.warn("lark.ws.sdk", { message: text(parts) }),
    warn: (...parts) => log.warn("lark.ws.sdk", { message: text(parts) }),
    info: (...parts) => log.info("lark.ws.sdk", { message: text(parts) }),
    debug: () => {},
    trace: () => {},
  };
}

const isEnvelope = (value: unknown): value is LarkEnvelope =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The SDK hands every data frame's JSON to `invoke` and sends back what it returns in the frame's ack
 * (a throw becomes a 500 ack, which Lark redelivers). Here that JSON goes through the webhook's own decoder.
 */
class IntakeDispatcher extends lark.EventDispatcher {
  constructor(
    private readonly take: (envelope: unknown) => Promise<unknown>,
    logger: lark.Logger,
  ) {
    super({ logger, loggerLevel: lark.LoggerLevel.warn });
  }

  override invoke(data: unknown): Promise<unknown> {
    return this.take(data);
  }
}

export function createLarkLongConnection(deps: LarkLongConnectionDeps): LongConnection {
  const { config, adapter, acceptEvent, report, log } = deps;
  const logger = sdkLogger(log);

  const take = async (envelope: unknown): Promise<unknown> => {
    let event: ReturnType<typeof decodeLarkEnvelope>;
    try {
      if (!isEnvelope(envelope)) throw new Error("the frame is not a JSON object");
      event = decodeLarkEnvelope(envelope);
    } catch (error) {
      // It would never decode: acknowledged, so that Lark does not send it again and again.
      log.warn("lark.ws.bad_event", { error });
      return undefined;
    }
    if (!event) return undefined;
    try {
      return await acceptEvent(event, async (action, result) => {
        const answer = await adapter.answerAction(action, result);
        return answer ? ((await answer.json()) as unknown) : null;
      });
    } catch (error) {
      // Not stored, so not acknowledged: Lark sends it again.
      log.error("lark.ws.accept_failed", { dedupKey: event.dedupKey, error });
      throw error;
    }
  };

  const client = new lark.WSClient({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: config.apiBase,
    logger,
    loggerLevel: lark.LoggerLevel.info,
    onReady: () => report("connected"),
    onReconnecting: () => report("connecting"),
    onReconnected: () => report("connected"),
    onError: (error) => {
      log.error("lark.ws.gave_up", { error });
      report("down");
    },
  });

  return {
    platform: "lark",
    async start() {
      report("connecting");
      await client.start({ eventDispatcher: new IntakeDispatcher(take, logger) });
    },
    async stop() {
      client.close({ force: true });
    },
  };
}
