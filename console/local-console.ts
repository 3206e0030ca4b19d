// The local chat console as one piece: which platforms it drives, their config, its routes and its seed data.
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type MiddlewareHandler } from "hono";
import type { PlatformId } from "../src/chat/events.ts";
import type { Config } from "../src/config/parse-env.ts";
import { isLoopback } from "../src/entry/node/admin-routes.ts";
import type { MountedDevTool } from "../src/entry/node/dev-tools.ts";
import { createConsoleApiRoutes } from "./api-routes.ts";
import { consolePlatforms } from "./console-mode.ts";
import { createConversations } from "./conversations.ts";
import { createConsoleCredentials, withConsolePlatforms } from "./credentials.ts";
import { createDingTalkDriver } from "./dingtalk/driver.ts";
import { CONSOLE_GROUPS, consoleChatId, consoleWebhookKey, seedConsoleDirectory } from "./directory.ts";
import type { ConsoleDriver } from "./driver.ts";
import { createFakeApiRoutes, fakeApiBase } from "./fake-api-routes.ts";
import { createLarkDriver } from "./lark/driver.ts";
import { startConsoleLinks } from "./long-connections.ts";
import { createPageRoutes } from "./page-routes.ts";
import { createConsoleToken, pageTokenAndJson, sameMachineOnly } from "./request-guard.ts";
import { createWeComDriver } from "./wecom/driver.ts";

const loopbackOnly: MiddlewareHandler = async (c, next) => {
  if (!isLoopback(getConnInfo(c).remote.address)) return c.json({ error: "forbidden" }, 403);
  await next();
};

/**
 * The console for a server reachable at `selfUrl`, or undefined when it is off (see console-mode.ts): the
 * configuration with the console platforms switched on; page, API and fake platform APIs, for loopback callers
 * on this machine only, the API for its own page only (the console acts as any of its people, see
 * request-guard.ts); console people, roles and the first group's subscriptions.
 * With OPS_CONSOLE_TRANSPORT=ws the platforms reach the bot over their long connections, through fake gateways.
 */
export async function createLocalConsole(
  config: Config,
  selfUrl: string,
): Promise<MountedDevTool | undefined> {
  const platforms = consolePlatforms(config);
  if (platforms.length === 0) return undefined;
  const credentials = createConsoleCredentials();
  const links =
    config.consoleTransport === "ws" ? await startConsoleLinks(platforms, credentials) : undefined;
  const apiBase = (platform: PlatformId) => fakeApiBase(selfUrl, platform);
  const webhookKeys = new Map(
    CONSOLE_GROUPS.map((group) => [consoleChatId("wecom", group), consoleWebhookKey(group)]),
  );
  const all: Record<PlatformId, () => ConsoleDriver> = {
    lark: () => createLarkDriver(credentials.lark),
    dingtalk: () => createDingTalkDriver(credentials.dingtalk),
    wecom: () =>
      createWeComDriver({ credentials: credentials.wecom, apiBase: apiBase("wecom"), webhookKeys }),
  };
  const drivers = platforms.map((platform) => all[platform]());
  const conversations = createConversations();
  const token = createConsoleToken();
  const onThisMachine = sameMachineOnly(Number(new URL(selfUrl).port));

  const served = withConsolePlatforms(config, platforms, credentials, apiBase);

  return {
    config: links ? links.configure(served) : served,
    routes(deps) {
      const routes = new Hono();
      for (const path of ["/console", "/console/*"]) routes.use(path, loopbackOnly, onThisMachine);
      routes.use("/console/api/*", pageTokenAndJson(token));
      routes.route("/", createPageRoutes(platforms, token));
      routes.route("/", createConsoleApiRoutes({ ...deps, drivers, conversations, selfUrl, links }));
      routes.route("/", createFakeApiRoutes(drivers, conversations, links));
      return routes;
    },
    seed: (db, now) =>
      seedConsoleDirectory(db, {
        platforms,
        now,
        wecomWebhookUrl: (group) =>
          `${apiBase("wecom")}/cgi-bin/webhook/send?key=${consoleWebhookKey(group)}`,
      }),
    startupFields: (url) => ({
      console: `${url}/console`,
      consolePlatforms: platforms,
      ...(links && { consoleTransport: "ws" }),
    }),
    close: async () => links?.close(),
  };
}
