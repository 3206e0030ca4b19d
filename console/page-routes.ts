// GET /console (carrying the API token) and its two assets (script and style), served from this folder.
import { readFileSync } from "node:fs";
import { Hono } from "hono";
import type { PlatformId } from "../src/chat/events.ts";
import { ConsolePage } from "./page.tsx";
import { UI_STRINGS } from "./ui-strings.ts";

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), "utf8");

/** `token` is the console API's token for this process: the page carries it, console.js sends it with every call. */
export function createPageRoutes(platforms: readonly PlatformId[], token: string): Hono {
  const script = asset("console.js");
  const style = asset("console.css");
  const routes = new Hono();
  routes.get("/console", (c) =>
    c.html(`<!doctype html>${ConsolePage({ platforms, strings: UI_STRINGS, token })}`),
  );
  routes.get("/console/assets/console.js", (c) =>
    c.body(script, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  routes.get("/console/assets/console.css", (c) =>
    c.body(style, 200, { "content-type": "text/css; charset=utf-8" }),
  );
  return routes;
}
