// Mounts each console platform's fake API at /console/platform/<platform>/…: the bot's outbound calls land here.
import { Hono } from "hono";
import type { PlatformId } from "../src/chat/events.ts";
import type { Conversations } from "./conversations.ts";
import type { ConsoleDriver } from "./driver.ts";
import type { ConsoleLinks } from "./long-connections.ts";

export const FAKE_API_PREFIX = "/console/platform";

/** The *_API_BASE of a console platform on the server at `selfUrl`. */
export const fakeApiBase = (selfUrl: string, platform: PlatformId): string =>
  `${selfUrl}${FAKE_API_PREFIX}/${platform}`;

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** With `links`, a platform's fake API also answers its long connection's endpoint exchange. */
export function createFakeApiRoutes(
  drivers: readonly ConsoleDriver[],
  conversations: Conversations,
  links?: ConsoleLinks,
): Hono {
  const routes = new Hono();
  for (const driver of drivers) {
    const prefix = `${FAKE_API_PREFIX}/${driver.platform}`;
    routes.all(`${prefix}/*`, async (c) => {
      const incoming = new URL(c.req.url);
      const path = `${incoming.pathname.slice(prefix.length)}${incoming.search}`;
      const request = {
        method: c.req.method,
        path,
        url: new URL(path, "http://fake"),
        headers: Object.fromEntries(c.req.raw.headers),
        body: parseBody(await c.req.text()),
      };
      const answer = links?.route(driver.platform, request) ?? driver.fake.route(request);
      if (answer.delivered) driver.capture(request, answer, conversations);
      return new Response(JSON.stringify(answer.body ?? {}), {
        status: answer.status,
        headers: { "content-type": "application/json; charset=utf-8", ...answer.headers },
      });
    });
  }
  return routes;
}
