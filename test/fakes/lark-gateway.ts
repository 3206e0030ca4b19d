// A fake of Lark's long-connection side: the endpoint exchange, then protobuf frames (pbbp2.Frame) over the
// shared push gateway, with the ack's payload `{code, data: base64 JSON}` read back.
import type { FakeAnswer, FakeRequest } from "./fake-api.ts";
import { decodeFrame, encodeFrame, headerOf } from "./lark-frame.ts";
import { type PushGateway, startPushGateway } from "./push-gateway.ts";

export interface LarkGatewayOptions {
  appId: string;
  appSecret: string;
}

/** What the client put in a data frame's ack: its status and the handler's answer (a card click's new card). */
export interface LarkAck {
  code: number;
  data?: unknown;
}

export interface FakeLarkGateway extends Pick<PushGateway, "connected" | "drop" | "counts" | "close"> {
  /** Answers `POST /callback/ws/endpoint` below the fake Lark's base URL; undefined for any other path. */
  route(request: FakeRequest): FakeAnswer | undefined;
  /** Sends an event envelope until a connection acknowledges it; resolves with that ack. */
  push(envelope: unknown): Promise<LarkAck>;
  /** Sends these bytes as they are to every open connection (frames that are not what they should be). */
  sendRaw(bytes: Uint8Array): void;
  /** While on, the endpoint exchange fails with a 500, so that no client can connect. */
  refuseConnections(on: boolean): void;
}

const SERVICE_ID = 7;
const encoder = new TextEncoder();

export async function startFakeLarkGateway(options: LarkGatewayOptions): Promise<FakeLarkGateway> {
  // Short intervals so that tests reconnect quickly; Lark sends its own (minutes).
  const clientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 0.2, ReconnectNonce: 0.1 };
  let seq = 0;
  let refusing = false;
  const gateway = await startPushGateway({
    push(id, payload) {
      seq++;
      return encodeFrame({
        SeqID: seq,
        LogID: seq,
        service: SERVICE_ID,
        method: 1,
        headers: [
          { key: "type", value: "event" },
          { key: "message_id", value: id },
          { key: "sum", value: "1" },
          { key: "seq", value: "0" },
          { key: "trace_id", value: `trace_${id}` },
        ],
        payload: encoder.encode(JSON.stringify(payload)),
      });
    },
    read(raw, reply) {
      const frame = decodeFrame(new Uint8Array(raw));
      if (frame.method === 0) {
        if (headerOf(frame, "type") === "ping")
          reply(
            encodeFrame({
              ...frame,
              headers: [{ key: "type", value: "pong" }],
              payload: encoder.encode(JSON.stringify(clientConfig)),
            }),
          );
        return undefined;
      }
      const ack = JSON.parse(new TextDecoder().decode(frame.payload)) as { code: number; data?: string };
      return {
        id: headerOf(frame, "message_id") ?? "",
        ok: ack.code === 200,
        data: ack.data ? JSON.parse(Buffer.from(ack.data, "base64").toString("utf8")) : undefined,
      };
    },
  });

  return {
    route(request) {
      if (!request.path.startsWith("/callback/ws/endpoint")) return undefined;
      if (refusing) return { status: 500, body: { code: 1, msg: "system busy" } };
      const body = request.body as { AppID?: string; AppSecret?: string } | undefined;
      if (body?.AppID !== options.appId || body?.AppSecret !== options.appSecret)
        return { status: 200, body: { code: 403, msg: "app id or secret is wrong" } };
      const url = `${gateway.wsUrl}?device_id=fake&service_id=${SERVICE_ID}&ticket=${gateway.issueTicket()}`;
      return { status: 200, body: { code: 0, data: { URL: url, ClientConfig: clientConfig } } };
    },
    connected: gateway.connected,
    async push(envelope) {
      const { data } = await gateway.push(envelope);
      return data === undefined ? { code: 200 } : { code: 200, data };
    },
    sendRaw: gateway.sendRaw,
    drop: gateway.drop,
    refuseConnections(on) {
      refusing = on;
    },
    counts: gateway.counts,
    close: gateway.close,
  };
}
