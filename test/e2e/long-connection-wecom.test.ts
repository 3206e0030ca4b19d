// The WeCom intelligent robot over its long connection, end to end: the real aibot SDK client in the real Node
// server, against a fake long-connection server.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeWeCom, startFakeWeCom } from "../fakes/wecom.ts";
import { type FakeWeComGateway, startFakeWeComGateway } from "../fakes/wecom-gateway.ts";
import { type LongConnectionServer, startLongConnectionServer } from "../helpers/long-connection-server.ts";

type Json = Record<string, unknown>;

const BOT = { botId: "aibot-ws-e2e", secret: "wecom-ws-bot-secret" };
const GROUP = "wr-ws-group";

let gateway: FakeWeComGateway;
let wecom: FakeWeCom;
let bot: LongConnectionServer;

// One server for the file (starting one migrates a database); each test uses its own message ids, in order.
beforeAll(async () => {
  gateway = await startFakeWeComGateway(BOT);
  wecom = await startFakeWeCom({ corpId: "ww-ws", secret: "unused-app-secret", agentId: "1000002" });
  bot = await startLongConnectionServer(
    {
      WECOM_BOT_TRANSPORT: "ws",
      WECOM_BOT_ID: BOT.botId,
      WECOM_BOT_SECRET: BOT.secret,
      WECOM_BOT_WS_URL: gateway.url,
      WECOM_API_BASE: wecom.url,
    },
    { secrets: [BOT.secret] },
  );
  await gateway.connected();
});
afterAll(async () => {
  await bot.close();
  await Promise.all([gateway.close(), wecom.close()]);
});

/** Each message carries its own single-use response_url; the reply's delivery is found by it. */
const sent = new Map<string, string>();
const botText = (content: string, msgid: string, chatid = GROUP) => {
  const responseUrl = wecom.responseUrl();
  sent.set(msgid, new URL(responseUrl).search);
  return {
    msgid,
    aibotid: BOT.botId,
    chatid,
    chattype: "group",
    from: { userid: "zhang.wei" },
    response_url: responseUrl,
    msgtype: "text",
    text: { content },
  };
};
const repliesTo = (msgid: string) =>
  wecom.delivered.filter((delivery) => delivery.path === `/cgi-bin/aibot/response${sent.get(msgid)}`);

interface TemplateCard {
  main_title: { title: string };
  button_list: { text: string; key: string }[];
  task_id: string;
}

describe("WeCom robot long connection", () => {
  it("subscribes with the robot's id and secret and replies to a message through its response_url", async () => {
    const health = await fetch(`${bot.server.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", db: "ok", connections: { wecom: "connected" } });
    await gateway.pushMessage(botText("/foo", "ws-msg-one"));
    await vi.waitFor(() => expect(repliesTo("ws-msg-one")).toHaveLength(1), { interval: 20 });
    expect(JSON.stringify(repliesTo("ws-msg-one")[0]?.body)).toContain("/foo");
    expect(bot.logLines.join("\n")).toContain('"transports":{"wecomBot":"ws"}');
    expect(bot.logLines.join("\n")).not.toContain(BOT.secret);
  });

  it("answers a card click with aibot_respond_update_msg carrying the redrawn card", async () => {
    await gateway.pushMessage(botText("/帮助", "ws-msg-card"));
    await vi.waitFor(() => expect(repliesTo("ws-msg-card")).toHaveLength(1), { interval: 20 });
    const chinese = (repliesTo("ws-msg-card")[0]?.body as Json | undefined)?.template_card as TemplateCard;
    expect(chinese.main_title.title).toBe("命令列表");

    const answer = (await gateway.pushCardClick({
      msgid: "ws-click-1",
      aibotid: BOT.botId,
      chatid: GROUP,
      chattype: "group",
      from: { userid: "zhang.wei" },
      response_url: wecom.responseUrl(),
      msgtype: "event",
      event: {
        eventtype: "template_card_event",
        template_card_event: {
          card_type: "button_interaction",
          event_key: chinese.button_list[0]?.key,
          task_id: chinese.task_id,
        },
      },
    })) as { response_type: string; template_card: TemplateCard };
    expect(answer.response_type).toBe("update_template_card");
    expect(answer.template_card.main_title.title).toBe("Commands");
    expect(answer.template_card.task_id).toBe(chinese.task_id);
  });

  it("logs bad frames and goes on", async () => {
    gateway.sendRaw("{not json");
    gateway.sendRaw(JSON.stringify({ cmd: "aibot_msg_callback", headers: { req_id: "x" }, body: 42 }));
    await gateway.pushMessage(botText("/foo", "ws-after-bad"));
    await vi.waitFor(() => expect(repliesTo("ws-after-bad")).toHaveLength(1), { interval: 20 });
    expect(bot.logLines.join("\n")).toMatch(/"event":"wecom.ws.sdk".*Failed to parse WebSocket message/);
  });

  it("answers everything once when the connection drops between two halves of a burst", async () => {
    const ids = Array.from({ length: 30 }, (_, n) => `ws-burst-${n}`);
    await Promise.all(ids.slice(0, 15).map((id) => gateway.pushMessage(botText("/foo", id, `wr-${id}`))));
    // WeCom does not acknowledge callbacks, so nothing is sent twice: what was written before the drop was
    // received; what comes during the drop waits for the next connection.
    await vi.waitFor(() => expect(ids.slice(0, 15).every((id) => repliesTo(id).length > 0)).toBe(true), {
      timeout: 20_000,
      interval: 50,
    });
    gateway.drop();
    const rest = ids.slice(15).map((id) => gateway.pushMessage(botText("/foo", id, `wr-${id}`)));
    await Promise.all(rest);
    expect(gateway.counts.connections).toBeGreaterThan(1);
    await vi.waitFor(() => expect(ids.every((id) => repliesTo(id).length > 0)).toBe(true), {
      timeout: 20_000,
      interval: 50,
    });
    expect(ids.map((id) => repliesTo(id).length)).toEqual(ids.map(() => 1));
    const rows = await bot.stopAndRead();
    const keys = rows.inbox.map((row) => row.dedupKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((key) => key.includes("burst")).sort()).toEqual(
      ids.map((id) => `wecom:bot:${id}`).sort(),
    );
    expect(rows.inbox.every((row) => row.status === "done")).toBe(true);
  });
});
