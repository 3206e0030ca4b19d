// A fake of Lark's long-connection side: the endpoint exchange, then protobuf frames over a WebSocket, with
// redelivery of whatever was not acknowledged and one connection (picked at random) per event, as in cluster mode.
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import type { FakeAnswer, FakeRequest } from "../../src/console/platform-fakes/fake-api.ts";
import { decodeFrame, encodeFrame, headerOf, type LarkFrame } from "./lark-frame.ts";

export interface LarkGatewayOptions {
  appId: string;
  appSecret: string;
  /** Seconds between the client's reconnect attempts, sent in ClientConfig (Lark sends its own). */
  reconnectIntervalSeconds?: number;
  /** An event not acknowledged within this time is sent again (default 2 s). */
  redeliverAfterMs?: number;
}

/** What the client put in a data frame's ack: its status and the handler's answer (a card click's new card). */
export interface LarkAck {
  code: number;
  data?: unknown;
}

export interface FakeLarkGateway {
  /** Answers `POST /callback/ws/endpoint` below the fake Lark's base URL; undefined for any other path. */
  route(request: FakeRequest): FakeAnswer | undefined;
  /** Resolves once `count` clients are connected. */
  connected(count?: number): Promise<void>;
  /** Sends an event envelope until a connection acknowledges it; resolves with that ack. */
  push(envelope: object): Promise<LarkAck>;
  /** Sends these bytes as they are to every open connection (frames that are not what they should be). */
  sendRaw(bytes: Uint8Array): void;
  /** Cuts every open connection at once, as a network drop does. */
  drop(): void;
  /** While on, the endpoint exchange fails with a 500, so that no client can connect. */
  refuseConnections(on: boolean): void;
  /** Deliveries so far: frames sent (first sends and redeliveries) and acks received. */
  readonly counts: { sent: number; redelivered: number; acked: number; connections: number };
  close(): Promise<void>;
}

interface Pending {
  messageId: string;
  payload: Uint8Array;
  resolve(ack: LarkAck): void;
  /** The connection it was last sent on, while it waits for the ack. */
  on?: WebSocket;
  sends: number;
  timer?: ReturnType<typeof setTimeout>;
}

const SERVICE_ID = 7;

export async function startFakeLarkGateway(options: LarkGatewayOptions): Promise<FakeLarkGateway> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const tickets = new Set<string>();
  const open = new Set<WebSocket>();
  const pending = new Map<string, Pending>();
  const waiting: Pending[] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  const counts = { sent: 0, redelivered: 0, acked: 0, connections: 0 };
  let seq = 0;
  let nextMessage = 0;
  let refusing = false;
  const clientConfig = {
    PingInterval: 120,
    ReconnectCount: -1,
    ReconnectInterval: options.reconnectIntervalSeconds ?? 0.2,
    ReconnectNonce: 0.1,
  };

  const send = (item: Pending) => {
    const sockets = [...open];
    const socket = sockets[Math.floor(Math.random() * sockets.length)];
    if (!socket) {
      waiting.push(item);
      return;
    }
    item.on = socket;
    clearTimeout(item.timer);
    item.timer = setTimeout(() => {
      item.on = undefined;
      send(item);
    }, options.redeliverAfterMs ?? 2000);
    if (item.sends > 0) counts.redelivered++;
    item.sends++;
    counts.sent++;
    seq++;
    const frame: LarkFrame = {
      SeqID: seq,
      LogID: seq,
      service: SERVICE_ID,
      method: 1,
      headers: [
        { key: "type", value: "event" },
        { key: "message_id", value: item.messageId },
        { key: "sum", value: "1" },
        { key: "seq", value: "0" },
        { key: "trace_id", value: `trace_${item.messageId}` },
      ],
      payload: item.payload,
    };
    socket.send(encodeFrame(frame));
  };

  const flush = () => {
    for (const item of waiting.splice(0)) send(item);
  };

  server.on("connection", (socket, request) => {
    const ticket = new URL(request.url ?? "/", "http://fake").searchParams.get("ticket") ?? "";
    if (!tickets.delete(ticket)) {
      socket.close(1008, "bad ticket");
      return;
    }
    open.add(socket);
    counts.connections++;
    for (const waiter of waiters.filter((w) => open.size >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    socket.on("message", (raw: Buffer) => {
      let frame: LarkFrame;
      try {
        frame = decodeFrame(new Uint8Array(raw));
      } catch {
        return;
      }
      if (frame.method === 0) {
        if (headerOf(frame, "type") === "ping")
          socket.send(
            encodeFrame({
              ...frame,
              headers: [{ key: "type", value: "pong" }],
              payload: new TextEncoder().encode(JSON.stringify(clientConfig)),
            }),
          );
        return;
      }
      const item = pending.get(headerOf(frame, "message_id") ?? "");
      if (!item || item.on !== socket) return;
      const ack = JSON.parse(new TextDecoder().decode(frame.payload)) as { code: number; data?: string };
      // A failed event is sent again later, by the timer.
      if (ack.code !== 200) return;
      clearTimeout(item.timer);
      pending.delete(item.messageId);
      counts.acked++;
      item.resolve({
        code: ack.code,
        ...(ack.data ? { data: JSON.parse(Buffer.from(ack.data, "base64").toString("utf8")) } : {}),
      });
    });
    socket.on("close", () => {
      open.delete(socket);
      // Whatever this connection had not acknowledged goes out again, on this or another connection.
      for (const item of pending.values()) {
        if (item.on !== socket) continue;
        clearTimeout(item.timer);
        item.on = undefined;
        waiting.push(item);
      }
      flush();
    });
    socket.on("error", () => {});
    flush();
  });

  return {
    route(request) {
      if (!request.path.startsWith("/callback/ws/endpoint")) return undefined;
      if (refusing) return { status: 500, body: { code: 1, msg: "system busy" } };
      const body = request.body as { AppID?: string; AppSecret?: string } | undefined;
      if (body?.AppID !== options.appId || body?.AppSecret !== options.appSecret)
        return { status: 200, body: { code: 403, msg: "app id or secret is wrong" } };
      const ticket = randomBytes(8).toString("hex");
      tickets.add(ticket);
      return {
        status: 200,
        body: {
          code: 0,
          data: {
            URL: `ws://127.0.0.1:${port}/ws?device_id=fake&service_id=${SERVICE_ID}&ticket=${ticket}`,
            ClientConfig: clientConfig,
          },
        },
      };
    },
    connected(count = 1) {
      if (open.size >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    push(envelope) {
      nextMessage++;
      const messageId = `fake_msg_${nextMessage}`;
      return new Promise<LarkAck>((resolve) => {
        const item: Pending = {
          messageId,
          payload: new TextEncoder().encode(JSON.stringify(envelope)),
          resolve,
          sends: 0,
        };
        pending.set(messageId, item);
        send(item);
      });
    },
    sendRaw(bytes) {
      for (const socket of open) socket.send(bytes);
    },
    drop() {
      for (const socket of open) socket.terminate();
    },
    refuseConnections(on) {
      refusing = on;
    },
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const item of pending.values()) clearTimeout(item.timer);
        for (const socket of server.clients) socket.terminate();
        server.close(() => resolve());
      }),
  };
}
