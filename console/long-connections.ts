// The console over long connections (OPS_CONSOLE_TRANSPORT=ws): a fake gateway per console platform, which the
// bot connects to as to the platform's own, and the console's events pushed through it instead of the webhooks.
import type { PlatformId } from "../src/chat/events.ts";
import type { Config } from "../src/config/parse-env.ts";
import type { FakeAnswer, FakeRequest } from "../test/fakes/fake-api.ts";
import type { ConsoleCredentials } from "./credentials.ts";

export type ConsoleEventKind = "message" | "click";

export interface ConsoleLinks {
  /** The configuration with each console platform receiving over its long connection. */
  configure(config: Config): Config;
  /** Answers a gateway's endpoint exchange below the platform's fake API; undefined for other paths. */
  route(platform: PlatformId, request: FakeRequest): FakeAnswer | undefined;
  /** Pushes the event's payload once the bot is connected; resolves with the answer it acknowledged it with. */
  push(platform: PlatformId, kind: ConsoleEventKind, payload: unknown): Promise<string>;
  close(): Promise<void>;
}

const answerText = (data: unknown): string => (data === undefined ? "" : JSON.stringify(data));

/** Starts the gateways of `platforms`; the WebSocket fakes are loaded only when the switch is on. */
export async function startConsoleLinks(
  platforms: readonly PlatformId[],
  credentials: ConsoleCredentials,
): Promise<ConsoleLinks> {
  const [{ startFakeLarkGateway }, { DINGTALK_TOPICS, startFakeDingTalkGateway }, { startFakeWeComGateway }] =
    await Promise.all([
      import("../test/fakes/lark-gateway.ts"),
      import("../test/fakes/dingtalk-gateway.ts"),
      import("../test/fakes/wecom-gateway.ts"),
    ]);
  const lark = platforms.includes("lark") ? await startFakeLarkGateway(credentials.lark) : undefined;
  const dingtalk = platforms.includes("dingtalk")
    ? await startFakeDingTalkGateway(credentials.dingtalk)
    : undefined;
  const wecom = platforms.includes("wecom")
    ? await startFakeWeComGateway({ botId: credentials.wecom.botId, secret: credentials.wecom.botSecret })
    : undefined;

  return {
    configure(config) {
      const next: Config = { ...config };
      if (lark && next.lark) next.lark = { ...next.lark, transport: "ws" };
      if (dingtalk && next.dingtalk) next.dingtalk = { ...next.dingtalk, transport: "stream" };
      if (wecom && next.wecomBot) {
        next.wecomBotConnection = {
          botId: credentials.wecom.botId,
          secret: credentials.wecom.botSecret,
          url: wecom.url,
          apiBase: next.wecomBot.apiBase,
        };
        delete next.wecomBot;
      }
      return next;
    },
    route(platform, request) {
      if (platform === "lark") return lark?.route(request);
      if (platform === "dingtalk") return dingtalk?.route(request);
      return undefined;
    },
    async push(platform, kind, payload) {
      if (platform === "lark" && lark) {
        await lark.connected();
        return answerText((await lark.push(payload)).data);
      }
      if (platform === "dingtalk" && dingtalk) {
        await dingtalk.connected();
        const topic = kind === "message" ? DINGTALK_TOPICS.robot : DINGTALK_TOPICS.card;
        // The client acknowledges with `{response: answer}`.
        const ack = await dingtalk.push(topic, payload);
        return answerText(typeof ack === "object" && ack !== null && "response" in ack ? ack.response : ack);
      }
      if (platform === "wecom" && wecom) {
        await wecom.connected();
        if (kind === "click") return answerText(await wecom.pushCardClick(payload));
        await wecom.pushMessage(payload);
        return "";
      }
      throw new Error(`${platform} has no console long connection`);
    },
    async close() {
      await Promise.all([lark?.close(), dingtalk?.close(), wecom?.close()]);
    },
  };
}
