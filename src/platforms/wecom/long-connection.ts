// The WeCom intelligent robot's long connection: the official aibot SDK, its callbacks taken like webhook ones.
import { WSClient, type WsFrame } from "@wecom/aibot-node-sdk";
import type { InboundEvent } from "../../chat/events.ts";
import type { WeComBotConnectionConfig } from "../../config/parse-env.ts";
import type { Logger } from "../../log.ts";
import type { AcceptEvent, LongConnection, ReportState } from "../long-connection.ts";
import { decodeBotJson } from "./decode.ts";
import { readHandle } from "./handle.ts";
import { renderReplacementCard, type TemplateCard } from "./render.ts";

export interface WeComBotConnectionDeps {
  config: WeComBotConnectionConfig;
  acceptEvent: AcceptEvent;
  report: ReportState;
  log: Logger;
}

/** The SDK's lines through our logger (secrets masked); its debug lines carry message bodies and stay off. */
function sdkLogger(log: Logger) {
  const text = (message: string, args: unknown[]) =>
    [message, ...args.map((arg) => (arg instanceof Error ? arg.message : String(arg)))].join(" ");
  return {
    debug: () => {},
    info: (message: string, ...args: unknown[]) => log.info("wecom.ws.sdk", { message: text(message, args) }),
    warn: (message: string, ...args: unknown[]) => log.warn("wecom.ws.sdk", { message: text(message, args) }),
    error: (message: string, ...args: unknown[]) =>
      log.warn("wecom.ws.sdk", { message: text(message, args) }),
  };
}

export function createWeComBotConnection(deps: WeComBotConnectionDeps): LongConnection {
  const { config, acceptEvent, report, log } = deps;
  const client = new WSClient({
    botId: config.botId,
    secret: config.secret,
    wsUrl: config.url,
    // The SDK backs off exponentially (1 s doubling to 30 s) but gives up after 10 attempts by default.
    maxReconnectAttempts: -1,
    maxAuthFailureAttempts: -1,
    logger: sdkLogger(log),
  });
  client.on("authenticated", () => report("connected"));
  client.on("disconnected", () => report("connecting"));
  client.on("event.disconnected_event", () => {
    // WeCom keeps one connection per robot: a newer one (another instance) took over, and this one stays off.
    log.warn("wecom.ws.taken_over", {});
    report("down");
  });

  /** The clicked card redrawn, sent back under the click's req_id (WeCom allows 5 s). */
  const cardUpdate = async (event: InboundEvent, card: TemplateCard | null, frame: WsFrame) => {
    if (!card) return;
    try {
      await client.updateTemplateCard(frame, card);
    } catch (error) {
      log.warn("wecom.ws.card_update_failed", { dedupKey: event.dedupKey, error });
    }
  };

  const take = async (frame: WsFrame) => {
    let event: InboundEvent | null;
    try {
      event = decodeBotJson(frame.body);
    } catch (error) {
      log.warn("wecom.ws.bad_event", { error });
      return;
    }
    // Not something the bot handles (an image, entering the chat, a click on another card).
    if (!event) return;
    try {
      const card = await acceptEvent(event, async (action, result) => {
        const { taskId } = readHandle(action.message);
        return result.card && taskId ? renderReplacementCard(result.card, "bot", taskId) : null;
      });
      await cardUpdate(event, card ?? null, frame);
    } catch (error) {
      log.error("wecom.ws.accept_failed", { dedupKey: event.dedupKey, error });
    }
  };
  const listener = (frame: WsFrame) => {
    take(frame).catch((error) => log.error("wecom.ws.failed", { error }));
  };
  client.on("message", listener);
  client.on("event", listener);
  client.on("error", (error) => log.warn("wecom.ws.error", { error }));

  return {
    platform: "wecom",
    async start() {
      report("connecting");
      client.connect();
    },
    async stop() {
      client.disconnect();
    },
  };
}
