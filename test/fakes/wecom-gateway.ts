// A fake of the WeCom intelligent robot's long connection: `aibot_subscribe` with the BotID and Secret, then
// `aibot_msg_callback` / `aibot_event_callback` pushes over the shared push gateway. The protocol has no
// acknowledgement of a callback: messages count as delivered once written, a card click once answered with
// `aibot_respond_update_msg` under its req_id. Every client frame gets its receipt `{headers, errcode, errmsg}`.
import type { WebSocket } from "ws";
import { type PushGateway, startPushGateway } from "./push-gateway.ts";

export interface FakeWeComGateway
  extends Pick<PushGateway, "connected" | "drop" | "counts" | "close" | "sendRaw"> {
  /** The address to put in WECOM_BOT_WS_URL. */
  readonly url: string;
  /** Pushes a message callback (written once, never sent again). */
  pushMessage(body: unknown): Promise<void>;
  /** Pushes a card click; resolves with the `aibot_respond_update_msg` body the client answered it with. */
  pushCardClick(body: unknown): Promise<unknown>;
  /** Subscriptions refused so far (a wrong BotID or Secret). */
  readonly refused: number;
}

export async function startFakeWeComGateway(options: {
  botId: string;
  secret: string;
}): Promise<FakeWeComGateway> {
  let refused = 0;
  let markReady: (socket: WebSocket) => void = () => {};
  const gateway = await startPushGateway(
    {
      push(id, payload) {
        const { cmd, body } = payload as { cmd: string; body: unknown };
        return JSON.stringify({ cmd, headers: { req_id: id }, body });
      },
      read(raw, reply, socket) {
        const frame = JSON.parse(raw.toString("utf8")) as {
          cmd?: string;
          headers?: { req_id?: string };
          body?: { bot_id?: string; secret?: string };
        };
        const reqId = frame.headers?.req_id ?? "";
        if (frame.cmd === "aibot_subscribe") {
          const ok = frame.body?.bot_id === options.botId && frame.body?.secret === options.secret;
          reply(
            JSON.stringify({
              headers: { req_id: reqId },
              errcode: ok ? 0 : 40001,
              errmsg: ok ? "ok" : "invalid secret",
            }),
          );
          if (ok) markReady(socket);
          else refused++;
          return undefined;
        }
        reply(JSON.stringify({ headers: { req_id: reqId }, errcode: 0, errmsg: "ok" }));
        if (frame.cmd === "aibot_respond_update_msg") return { id: reqId, ok: true, data: frame.body };
        return undefined;
      },
      ready: () => false,
    },
    { checkTicket: false },
  );
  markReady = gateway.markReady;
  return {
    url: gateway.wsUrl,
    async pushMessage(body) {
      await gateway.push({ cmd: "aibot_msg_callback", body }, { until: "sent" });
    },
    async pushCardClick(body) {
      return (await gateway.push({ cmd: "aibot_event_callback", body })).data;
    },
    get refused() {
      return refused;
    },
    connected: gateway.connected,
    sendRaw: gateway.sendRaw,
    drop: gateway.drop,
    counts: gateway.counts,
    close: gateway.close,
  };
}
