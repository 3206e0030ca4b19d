// A fake of DingTalk Stream's side: `POST /v1.0/gateway/connections/open`, then JSON frames over the shared push
// gateway (CALLBACK pushes, acks `{code, headers: {messageId}, data}`, SYSTEM ping echoed).
import type { FakeAnswer, FakeRequest } from "./fake-api.ts";
import { type PushGateway, startPushGateway } from "./push-gateway.ts";

export const DINGTALK_TOPICS = {
  robot: "/v1.0/im/bot/messages/get",
  card: "/v1.0/card/instances/callback",
} as const;

export interface FakeDingTalkGateway
  extends Pick<PushGateway, "connected" | "drop" | "counts" | "close" | "sendRaw"> {
  /** Answers the gateway's `connections/open` below the fake DingTalk's base URL; undefined for other paths. */
  route(request: FakeRequest): FakeAnswer | undefined;
  /** Pushes a callback on `topic` until a connection acknowledges it; resolves with the ack's data, parsed. */
  push(topic: string, data: unknown): Promise<unknown>;
  /** The subscriptions each connection asked for when it opened. */
  readonly subscriptions: unknown[];
}

export async function startFakeDingTalkGateway(options: {
  clientId: string;
  clientSecret: string;
}): Promise<FakeDingTalkGateway> {
  const subscriptions: unknown[] = [];
  const gateway = await startPushGateway({
    push(id, payload) {
      const { topic, data } = payload as { topic: string; data: unknown };
      return JSON.stringify({
        specVersion: "1.0",
        type: "CALLBACK",
        headers: {
          topic,
          messageId: id,
          contentType: "application/json",
          time: "1780000000000",
          appId: "app",
        },
        data: JSON.stringify(data),
      });
    },
    read(raw) {
      const frame = JSON.parse(raw.toString("utf8")) as {
        code?: number;
        headers?: { messageId?: string };
        data?: string;
      };
      if (!frame.headers?.messageId) return undefined;
      return {
        id: frame.headers.messageId,
        ok: frame.code === 200,
        data: frame.data ? JSON.parse(frame.data) : undefined,
      };
    },
  });
  return {
    route(request) {
      if (request.path !== "/v1.0/gateway/connections/open" || request.method !== "POST") return undefined;
      const body = request.body as
        | { clientId?: string; clientSecret?: string; subscriptions?: unknown }
        | undefined;
      if (body?.clientId !== options.clientId || body?.clientSecret !== options.clientSecret)
        return { status: 400, body: { code: "invalidClientIdOrSecret", message: "wrong client" } };
      subscriptions.push(body.subscriptions);
      return { status: 200, body: { endpoint: gateway.wsUrl, ticket: gateway.issueTicket() } };
    },
    async push(topic, data) {
      return (await gateway.push({ topic, data })).data;
    },
    subscriptions,
    connected: gateway.connected,
    sendRaw: gateway.sendRaw,
    drop: gateway.drop,
    counts: gateway.counts,
    close: gateway.close,
  };
}
