// The platform side of a long connection, whatever its frames: a WebSocket server that pushes events, one
// connection picked at random per event, and sends again whatever was not acknowledged (after a drop or a delay).
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/** How one platform writes its frames and reads the client's. */
export interface GatewayCodec {
  /** The frame that pushes `payload` under the delivery id `id`. */
  push(id: string, payload: unknown): string | Uint8Array;
  /**
   * Reads one client frame: an acknowledgement (`ok` false when the client reported a failure), or
   * undefined for anything else, to which the codec may answer through `reply` (pings, subscriptions).
   */
  read(
    raw: Buffer,
    reply: (frame: string | Uint8Array) => void,
    socket: WebSocket,
  ): { id: string; ok: boolean; data?: unknown } | undefined;
  /** Whether the socket may receive pushes yet (WeCom: once subscribed); default at once. */
  ready?(socket: WebSocket): boolean;
}

export interface Acknowledged {
  /** What the client put in its acknowledgement (a card click's answer), as the codec read it. */
  data?: unknown;
}

export interface PushGateway {
  /** A one-time ticket the WebSocket URL must carry (`?ticket=`), as the endpoint exchange hands out. */
  issueTicket(): string;
  readonly wsUrl: string;
  /** Resolves once `count` clients are connected and ready. */
  connected(count?: number): Promise<void>;
  /**
   * Sends the payload until a connection acknowledges it; resolves with that acknowledgement. With
   * `until: "sent"` (a protocol without acknowledgements) it resolves once written to a connection, and is
   * never sent again.
   */
  push(payload: unknown, options?: { until?: "ack" | "sent" }): Promise<Acknowledged>;
  /** Sends these bytes as they are to every open connection. */
  sendRaw(frame: string | Uint8Array): void;
  /** Cuts every open connection at once, as a network drop does. */
  drop(): void;
  /** Marks a socket ready (after a subscription), sending it whatever waits. */
  markReady(socket: WebSocket): void;
  readonly counts: { sent: number; redelivered: number; acked: number; connections: number };
  close(): Promise<void>;
}

interface Pending {
  id: string;
  untilSent: boolean;
  payload: unknown;
  resolve(ack: Acknowledged): void;
  on?: WebSocket;
  sends: number;
  timer?: ReturnType<typeof setTimeout>;
}

export async function startPushGateway(
  codec: GatewayCodec,
  { redeliverAfterMs = 2000, checkTicket = true }: { redeliverAfterMs?: number; checkTicket?: boolean } = {},
): Promise<PushGateway> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const tickets = new Set<string>();
  const open = new Set<WebSocket>();
  const ready = new Set<WebSocket>();
  const pending = new Map<string, Pending>();
  const waiting: Pending[] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  const counts = { sent: 0, redelivered: 0, acked: 0, connections: 0 };
  let nextId = 0;

  const send = (item: Pending) => {
    const sockets = [...ready];
    const socket = sockets[Math.floor(Math.random() * sockets.length)];
    if (!socket) {
      waiting.push(item);
      return;
    }
    if (item.untilSent) {
      counts.sent++;
      socket.send(codec.push(item.id, item.payload));
      pending.delete(item.id);
      item.resolve({});
      return;
    }
    item.on = socket;
    clearTimeout(item.timer);
    item.timer = setTimeout(() => {
      item.on = undefined;
      send(item);
    }, redeliverAfterMs);
    if (item.sends > 0) counts.redelivered++;
    item.sends++;
    counts.sent++;
    socket.send(codec.push(item.id, item.payload));
  };

  const markReady = (socket: WebSocket) => {
    if (!open.has(socket) || ready.has(socket)) return;
    ready.add(socket);
    for (const waiter of waiters.filter((w) => ready.size >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    for (const item of waiting.splice(0)) send(item);
  };

  /** A connection gone: whatever it had not acknowledged goes out again, on this or another connection. */
  const forget = (socket: WebSocket) => {
    if (!open.delete(socket)) return;
    ready.delete(socket);
    for (const item of pending.values()) {
      if (item.on !== socket) continue;
      clearTimeout(item.timer);
      item.on = undefined;
      waiting.push(item);
    }
    for (const item of waiting.splice(0)) send(item);
  };

  server.on("connection", (socket, request) => {
    const ticket = new URL(request.url ?? "/", "http://fake").searchParams.get("ticket") ?? "";
    if (checkTicket && !tickets.delete(ticket)) {
      socket.close(1008, "bad ticket");
      return;
    }
    open.add(socket);
    counts.connections++;
    socket.on("message", (raw: Buffer) => {
      let ack: ReturnType<GatewayCodec["read"]>;
      try {
        ack = codec.read(raw, (frame) => socket.send(frame), socket);
      } catch {
        return;
      }
      if (!ack) return;
      const item = pending.get(ack.id);
      // A failed event is sent again later, by its timer.
      if (!item || item.on !== socket || !ack.ok) return;
      clearTimeout(item.timer);
      pending.delete(item.id);
      counts.acked++;
      item.resolve(ack.data === undefined ? {} : { data: ack.data });
    });
    socket.on("close", () => forget(socket));
    socket.on("error", () => {});
    if (!codec.ready || codec.ready(socket)) markReady(socket);
  });

  return {
    issueTicket() {
      const ticket = randomBytes(8).toString("hex");
      tickets.add(ticket);
      return ticket;
    },
    wsUrl: `ws://127.0.0.1:${port}/connect`,
    connected(count = 1) {
      if (ready.size >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    push(payload, { until = "ack" } = {}) {
      nextId++;
      const id = `push_${nextId}_${randomBytes(3).toString("hex")}`;
      return new Promise<Acknowledged>((resolve) => {
        const item: Pending = { id, payload, resolve, sends: 0, untilSent: until === "sent" };
        pending.set(id, item);
        send(item);
      });
    },
    sendRaw(frame) {
      for (const socket of ready) socket.send(frame);
    },
    drop() {
      for (const socket of [...open]) {
        socket.terminate();
        forget(socket);
      }
    },
    markReady,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const item of pending.values()) clearTimeout(item.timer);
        for (const socket of server.clients) socket.terminate();
        server.close(() => resolve());
      }),
  };
}
