// The console page's API: type a message or click a card (to the real webhooks, or over the long connections), read a chat, run a job.
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { z } from "zod";
import { PLATFORMS, type PlatformId } from "../src/chat/events.ts";
import type { Clock } from "../src/clock.ts";
import type { Logger } from "../src/log.ts";
import type { ChatMessage, Conversations } from "./conversations.ts";
import {
  CONSOLE_GROUPS,
  CONSOLE_PEOPLE,
  type ConsoleGroup,
  type ConsolePerson,
  consoleChatId,
  consoleUserId,
} from "./directory.ts";
import type { ConsoleDriver, ConsoleEvent } from "./driver.ts";
import type { ConsoleEventKind, ConsoleLinks } from "./long-connections.ts";
import { type MessageView, textView } from "./message-view.ts";

/** The jobs the page offers to run by hand. */
const CONSOLE_JOBS = ["kpi-digest", "overdue-sweep"] as const;

export interface ConsoleApiDeps {
  drivers: readonly ConsoleDriver[];
  conversations: Conversations;
  /** The server's own URL: signed requests go to its real webhook routes over HTTP. */
  selfUrl: string;
  /** The long connections to push events through instead (OPS_CONSOLE_TRANSPORT=ws). */
  links?: ConsoleLinks | undefined;
  fetch: typeof fetch;
  now: Clock;
  log: Logger;
  runJob(name: string, at: Date): Promise<{ ok: boolean; summary: string } | undefined>;
}

const place = {
  platform: z.enum(PLATFORMS),
  group: z.enum(CONSOLE_GROUPS.map((group) => group.key) as [string, ...string[]]),
  person: z.enum(CONSOLE_PEOPLE.map((person) => person.key) as [string, ...string[]]),
};
const messageSchema = z.object({ ...place, text: z.string().trim().min(1).max(4000) });
const clickSchema = z.object({
  ...place,
  messageId: z.string().min(1),
  data: z.unknown(),
  form: z.record(z.string(), z.string()).default({}),
});
const jobSchema = z.object({ at: z.iso.datetime({ offset: true }).optional() });

const byKey = <T extends { key: string }>(list: readonly T[], key: string): T =>
  list.find((entry) => entry.key === key) as T;

interface ViewedMessage {
  id: string;
  revision: number;
  from: ChatMessage["from"];
  author?: string;
  toast?: string;
  view: MessageView;
}

export function createConsoleApiRoutes(deps: ConsoleApiDeps): Hono {
  const { conversations, now, log } = deps;
  const drivers = new Map(deps.drivers.map((driver) => [driver.platform, driver]));
  const api = new Hono();
  // Message ids must not repeat across restarts: the inbox would take a repeat for a redelivery.
  const run = randomBytes(4).toString("hex");

  const where = (input: { platform: PlatformId; group: string; person: string }) => {
    const driver = drivers.get(input.platform);
    const group: ConsoleGroup = byKey(CONSOLE_GROUPS, input.group);
    const person: ConsolePerson = byKey(CONSOLE_PEOPLE, input.person);
    if (!driver) return undefined;
    return {
      driver,
      chatId: consoleChatId(input.platform, group),
      title: group.title,
      userId: consoleUserId(input.platform, person),
      name: person.name,
    };
  };

  /** Delivers the event over the long connection or to the webhook; the answer's body, or the rejection. */
  const deliver = async (
    driver: ConsoleDriver,
    kind: ConsoleEventKind,
    event: ConsoleEvent,
  ): Promise<{ answer: string } | { rejected: Response }> => {
    if (deps.links) return { answer: await deps.links.push(driver.platform, kind, event.payload) };
    const response = await deps.fetch(`${deps.selfUrl}${event.webhook.path}`, {
      method: "POST",
      headers: event.webhook.headers,
      body: event.webhook.body,
    });
    return response.ok ? { answer: await response.text() } : { rejected: await rejected(response) };
  };

  const invalid = (message: string) => Response.json({ error: "invalid", message }, { status: 400 });
  const notConsole = (platform: string) =>
    Response.json({ error: "not_console", message: `${platform} is a real platform here` }, { status: 409 });
  const rejected = async (response: Response) => {
    log.warn("console.webhook_rejected", { status: response.status });
    return Response.json(
      { error: "webhook_rejected", status: response.status, body: await response.text() },
      { status: 502 },
    );
  };

  api.get("/console/api/directory", (c) =>
    c.json({
      platforms: [...drivers.keys()],
      people: CONSOLE_PEOPLE,
      groups: CONSOLE_GROUPS,
      jobs: CONSOLE_JOBS,
    }),
  );

  api.get("/console/api/chats/:platform/:group", (c) => {
    const platform = c.req.param("platform");
    const group = CONSOLE_GROUPS.find((entry) => entry.key === c.req.param("group"));
    const driver = drivers.get(platform as PlatformId);
    if (!driver || !group) return c.json({ error: "not_found" }, 404);
    const { revision, messages } = conversations.list(driver.platform, consoleChatId(driver.platform, group));
    const viewed = messages.map(
      (message): ViewedMessage => ({
        id: message.id,
        revision: message.revision,
        from: message.from,
        ...(message.author && { author: message.author }),
        ...(message.toast && { toast: message.toast }),
        view:
          message.from === "user"
            ? textView(String((message.payload as { text: string }).text))
            : driver.view(message.payload),
      }),
    );
    return c.json({ revision, messages: viewed });
  });

  api.post("/console/api/messages", async (c) => {
    const input = messageSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!input.success) return invalid("expected {platform, group, person, text}");
    const at = where(input.data);
    if (!at) return notConsole(input.data.platform);
    const messageId = conversations.nextId(`om_console_${run}_`);
    const { text } = input.data;
    conversations.add(at.driver.platform, at.chatId, {
      id: messageId,
      from: "user",
      author: at.name,
      payload: { text },
    });
    const delivered = await deliver(
      at.driver,
      "message",
      at.driver.message({ ...at, text, messageId, now: now() }),
    );
    if ("rejected" in delivered) return delivered.rejected;
    return c.json({ id: messageId });
  });

  api.post("/console/api/clicks", async (c) => {
    const input = clickSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!input.success) return invalid("expected {platform, group, person, messageId, data, form}");
    const at = where(input.data);
    if (!at) return notConsole(input.data.platform);
    const clicked = conversations.find(at.driver.platform, input.data.messageId);
    if (!clicked || conversations.chatOf(at.driver.platform, clicked.id) !== at.chatId)
      return c.json({ error: "not_found", message: "no such card in this group" }, 404);
    const { data, form } = input.data;
    const event = at.driver.click({ ...at, message: clicked, data, form, now: now() });
    const delivered = await deliver(at.driver, "click", event);
    if ("rejected" in delivered) return delivered.rejected;
    const change = at.driver.clickAnswer(delivered.answer, clicked);
    if (change.payload !== undefined || change.toast)
      conversations.update(at.driver.platform, clicked.id, change);
    return c.json({ id: clicked.id, ...(change.toast && { toast: change.toast }) });
  });

  api.post("/console/api/jobs/:name", async (c) => {
    const name = c.req.param("name");
    if (!(CONSOLE_JOBS as readonly string[]).includes(name)) return c.json({ error: "unknown_job" }, 404);
    const input = jobSchema.safeParse(await c.req.json().catch(() => ({})));
    if (!input.success) return invalid("at must be an ISO 8601 time with an offset");
    const at = input.data.at ? new Date(input.data.at) : now();
    const outcome = await deps.runJob(name, at);
    if (!outcome) return c.json({ error: "unknown_job" }, 404);
    return c.json(outcome, outcome.ok ? 200 : 500);
  });

  return api;
}
