// The console API on a real server: a typed message is signed, sent to the real webhook, and the reply captured.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlatformId } from "../../../src/chat/events.ts";
import { HOUR_MS } from "../../../src/domain/calendar/local-time.ts";
import { type ConsoleServer, startConsoleServer } from "../../helpers/console-server.ts";
import { clockFrom, testInstant, workingDayAt } from "../../helpers/test-instant.ts";

interface Viewed {
  id: string;
  from: "user" | "bot";
  toast?: string;
  view: {
    kind: "text" | "card";
    text?: string;
    card?: {
      title?: string;
      color: string;
      fields: { label: string; value: string }[];
      markdown?: string;
      buttons: { label: string; click?: { kind: string; data: unknown } }[];
    };
  };
}

let server: ConsoleServer;
/** 10:00 in China on a working day, from the chosen test instant: the digest's send time has passed. */
const START = workingDayAt(testInstant(), 10 * HOUR_MS);

beforeAll(async () => {
  // The server's clock starts at START and moves with the monotonic clock: on the wall clock the digest
  // test failed every night, before the day's send time.
  server = await startConsoleServer({ now: clockFrom(START) });
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

async function chat(platform: PlatformId, group = "ops"): Promise<Viewed[]> {
  const response = await fetch(`${server.url}/console/api/chats/${platform}/${group}`, {
    headers: server.apiHeaders,
  });
  return ((await response.json()) as { messages: Viewed[] }).messages;
}

/** The bot answers after its ack, in the background: poll the captured chat a bounded number of times. */
async function waitForBotMessages(platform: PlatformId, count: number): Promise<Viewed[]> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const bot = (await chat(platform)).filter((message) => message.from === "bot");
    if (bot.length >= count) return bot;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`no reply on ${platform}; log:\n${server.logLines.join("\n")}`);
}

describe("console API", () => {
  it("serves the page and names the console platforms", async () => {
    const page = await fetch(`${server.url}/console`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<label for="person">');
    const directory = (await (
      await fetch(`${server.url}/console/api/directory`, { headers: server.apiHeaders })
    ).json()) as {
      platforms: string[];
      people: { key: string; roles: string[] }[];
    };
    expect(directory.platforms).toEqual(["lark", "dingtalk", "wecom"]);
    expect(directory.people.find((person) => person.key === "manager")?.roles).toEqual(["manager"]);
  });

  it.each([
    ["lark", "green"],
    ["dingtalk", "green"],
    ["wecom", "plain"],
  ] as const)(
    "%s: order card in the group, Confirm updates it in place",
    async (platform, confirmedColor) => {
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
      expect(confirm?.click?.kind).toBe("callback");

      const clicked = await post("/console/api/clicks", {
        platform,
        group: "ops",
        person: "admin",
        messageId: card?.id,
        data: confirm?.click?.data,
      });
      expect(clicked.status).toBe(200);
      const [updated, ...others] = (await chat(platform)).filter((message) => message.from === "bot");
      expect(others).toEqual([]);
      expect(updated?.id).toBe(card?.id);
      expect(updated?.view.card?.title).toMatch(/^Order O-\d{8}-\d{3}$/);
      expect(updated?.view.card?.color).toBe(confirmedColor);
      expect(JSON.stringify(updated?.view.card)).toContain("confirmed");
    },
  );

  it("runs the digest for the subscribed group", async () => {
    const ran = await post("/console/api/jobs/kpi-digest", {});
    expect(ran.status).toBe(200);
    expect(((await ran.json()) as { ok: boolean }).ok).toBe(true);
    for (const platform of ["lark", "dingtalk", "wecom"] as const) {
      const titles = (await chat(platform)).map((message) => message.view.card?.title ?? "");
      expect(titles.some((title) => title.startsWith("每日运营日报"))).toBe(true);
    }
  });

  it("refuses bad input with a clear reason", async () => {
    const unknownGroup = await post("/console/api/messages", {
      platform: "lark",
      group: "nowhere",
      person: "admin",
      text: "/help",
    });
    expect(unknownGroup.status).toBe(400);
    expect(await unknownGroup.json()).toMatchObject({ error: "invalid" });
    const badTime = await post("/console/api/jobs/overdue-sweep", { at: "tomorrow" });
    expect(badTime.status).toBe(400);
    expect((await post("/console/api/jobs/housekeeping", {})).status).toBe(404);
    const strangeCard = await post("/console/api/clicks", {
      platform: "lark",
      group: "ops",
      person: "admin",
      messageId: "om_unknown",
      data: {},
    });
    expect(strangeCard.status).toBe(404);
  });

  it("keeps its fake platform APIs strict: a wrong app secret gets no token", async () => {
    const response = await post("/console/platform/lark/open-apis/auth/v3/tenant_access_token/internal", {
      app_id: "cli_someone_else",
      app_secret: "guess",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 10003 });
  });
});
