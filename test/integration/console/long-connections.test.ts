// The console with OPS_CONSOLE_TRANSPORT=ws: the bot holds each platform's long connection to the console's fake
// gateways, and typed messages and clicks travel over them instead of the webhooks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlatformId } from "../../../src/chat/events.ts";
import { HOUR_MS } from "../../../src/domain/calendar/local-time.ts";
import { type ConsoleServer, startConsoleServer } from "../../helpers/console-server.ts";
import { clockFrom, testInstant, workingDayAt } from "../../helpers/test-instant.ts";

interface Viewed {
  id: string;
  from: "user" | "bot";
  view: {
    card?: { title?: string; buttons: { label: string; click?: { kind: string; data: unknown } }[] };
  };
}

let server: ConsoleServer;

beforeAll(async () => {
  server = await startConsoleServer({
    now: clockFrom(workingDayAt(testInstant(), 10 * HOUR_MS)),
    env: { OPS_CONSOLE_TRANSPORT: "ws" },
  });
});
afterAll(async () => {
  await server?.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: server.apiHeaders,
    body: JSON.stringify(body),
  });

async function botMessages(platform: PlatformId): Promise<Viewed[]> {
  const response = await fetch(`${server.url}/console/api/chats/${platform}/ops`, {
    headers: server.apiHeaders,
  });
  const { messages } = (await response.json()) as { messages: Viewed[] };
  return messages.filter((message) => message.from === "bot");
}

/** The reply goes out through the outbox after the event is taken: poll the captured chat a bounded number of times. */
async function waitForBotMessages(platform: PlatformId, count: number): Promise<Viewed[]> {
  for (let attempt = 0; attempt < 2000; attempt++) {
    const bot = await botMessages(platform);
    if (bot.length >= count) return bot;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`no reply on ${platform}; log:\n${server.logLines.join("\n")}`);
}

const eventsOf = (name: string) =>
  server.logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.event === name);

describe("console over the long connections", () => {
  it("starts every console platform on its long connection, and says so", () => {
    const [started] = eventsOf("server.started");
    expect(started).toMatchObject({
      consoleTransport: "ws",
      transports: { lark: "ws", dingtalk: "stream", wecomBot: "ws" },
    });
  });

  it.each(["lark", "dingtalk", "wecom"] as const)(
    "%s: an order card comes back over the connection's event, and Confirm's answer updates it in place",
    async (platform) => {
      const sent = await post("/console/api/messages", {
        platform,
        group: "ops",
        person: "admin",
        text: "/order new 华东五金 M8 100 2099-12-31",
      });
      expect(sent.status).toBe(200);
      const [card] = await waitForBotMessages(platform, 1);
      expect(card?.view.card?.title).toMatch(/^Confirm order O-\d{8}-\d{3}$/);
      const confirm = card?.view.card?.buttons.find((button) => button.label === "Confirm");

      const clicked = await post("/console/api/clicks", {
        platform,
        group: "ops",
        person: "admin",
        messageId: card?.id,
        data: confirm?.click?.data,
      });
      expect(clicked.status).toBe(200);
      // The new card rode in the connection's answer to the click: no second message, the same one redrawn.
      const [updated, ...others] = await botMessages(platform);
      expect(others).toEqual([]);
      expect(updated?.id).toBe(card?.id);
      expect(updated?.view.card?.title).toMatch(/^Order O-\d{8}-\d{3}$/);
    },
  );

  it("reports each connection connected on /healthz, and no webhook was called", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: "ok",
      db: "ok",
      connections: { lark: "connected", dingtalk: "connected", wecom: "connected" },
    });
    expect(eventsOf("webhook.rejected")).toEqual([]);
    expect(eventsOf("console.webhook_rejected")).toEqual([]);
  });
});
