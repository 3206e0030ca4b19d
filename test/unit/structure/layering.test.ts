// The layering as a table: which top-level part may import which. A new arrow that is not in the table fails
// the build; the matcher is tested on made-up sources first, so a broken matcher cannot pass by finding nothing.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");

/**
 * What each part may import. `chat` is the neutral model and imports nothing of ours; `chat-card` is the part
 * of it that draws (cards, messages): the domain returns data and never draws, so it may not import it, nor
 * the kit (`bot`), the platforms, the commands or Hono.
 */
const ALLOWED: Record<string, readonly string[]> = {
  chat: [],
  "chat-card": ["chat"],
  clock: [],
  log: [],
  db: [],
  config: ["chat"],
  domain: ["chat", "clock", "db", "log", "outbox"],
  inbox: ["chat", "clock", "db", "log", "platforms"],
  outbox: ["chat", "chat-card", "clock", "db", "log", "platforms"],
  platforms: ["chat", "chat-card", "clock", "config", "log"],
  bot: ["chat", "chat-card", "clock", "config", "db", "domain", "inbox", "log", "outbox", "platforms"],
  commands: ["bot", "chat", "chat-card", "clock", "config", "db", "domain", "log", "outbox"],
  jobs: ["bot", "chat", "chat-card", "clock", "commands", "config", "db", "domain", "log", "outbox"],
  app: ["bot", "chat", "clock", "db", "hono", "inbox", "log", "platforms"],
  /** The composition root: how it starts on Node and on Workers; the one part that wires every other. */
  entry: [
    "app",
    "bot",
    "chat",
    "chat-card",
    "clock",
    "commands",
    "config",
    "db",
    "domain",
    "hono",
    "inbox",
    "jobs",
    "log",
    "outbox",
    "platforms",
  ],
  /** The development console at the root: it drives the product from outside; no part imports it. */
  console: [
    "bot",
    "chat",
    "chat-card",
    "clock",
    "config",
    "db",
    "domain",
    "entry",
    "hono",
    "log",
    "platforms",
  ],
};

/** The part a repository file belongs to (undefined outside src/ and commands/), by its path from the root. */
function partOf(path: string): string | undefined {
  const [top, second, third] = path.split("/");
  if (top === "commands" || top === "console") return top;
  if (top !== "src" || !second) return undefined;
  if (second === "chat" && third === "card.ts") return "chat-card";
  return second.replace(/\.tsx?$/, "");
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

/** The parts a file's source imports: ours by their path, Hono by its package name, other packages not at all. */
function importedParts(file: string, source: string): string[] {
  return [...source.matchAll(SPECIFIER)].flatMap((match) => {
    const specifier = match[1] as string;
    if (/^(hono|@hono\/)/.test(specifier)) return ["hono"];
    if (!specifier.startsWith(".")) return [];
    const target = relative(ROOT, resolve(ROOT, dirname(file), specifier))
      .split(sep)
      .join("/");
    const part = partOf(target);
    return part === undefined ? [] : [part];
  });
}

/** "from -> to" for every import the table does not allow (a part missing from the table allows nothing). */
function violations(files: { path: string; source: string }[]): string[] {
  return files.flatMap(({ path, source }) => {
    const from = partOf(path);
    if (from === undefined) return [];
    const allowed = ALLOWED[from] ?? [];
    return importedParts(path, source)
      .filter((to) => to !== from && !allowed.includes(to))
      .map((to) => `${path}: ${from} -> ${to}`);
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe("the layering table", () => {
  it("puts files in their parts", () => {
    expect(
      [
        "src/domain/orders/order.ts",
        "src/chat/events.ts",
        "src/chat/card.ts",
        "src/app.ts",
        "commands/orders/cards.ts",
        "console/page.tsx",
        "test/unit/x.test.ts",
      ].map(partOf),
    ).toEqual(["domain", "chat", "chat-card", "app", "commands", "console", undefined]);
  });

  it("catches the domain importing the kit, a platform, a card, Hono or a command, and lets the rest pass", () => {
    const source = [
      'import { UserError } from "../../bot/user-error.ts";',
      'import type { PlatformAdapter } from "../../platforms/types.ts";',
      'import type { Card } from "../../chat/card.ts";',
      'import { Hono } from "hono";',
      'export { orderCard } from "../../../commands/orders/cards.ts";',
      'const late = await import("../../bot/router.ts");',
      'import type { PlatformId } from "../../chat/events.ts";',
      'import type { Db } from "../../db/database.ts";',
      'import { audit } from "../audit.ts";',
      'import { and } from "drizzle-orm";',
    ].join("\n");
    expect(violations([{ path: "src/domain/orders/made-up.ts", source }])).toEqual([
      "src/domain/orders/made-up.ts: domain -> bot",
      "src/domain/orders/made-up.ts: domain -> platforms",
      "src/domain/orders/made-up.ts: domain -> chat-card",
      "src/domain/orders/made-up.ts: domain -> hono",
      "src/domain/orders/made-up.ts: domain -> commands",
      "src/domain/orders/made-up.ts: domain -> bot",
    ]);
  });

  it("keeps the chat model a leaf and the console outside, and a part the table does not know allows nothing", () => {
    expect(
      violations([
        { path: "src/chat/events.ts", source: 'import type { Role } from "../domain/people/role.ts";' },
        { path: "src/entry/node/x.ts", source: 'import { startConsole } from "../../../console/start.ts";' },
        { path: "src/newpart/x.ts", source: 'import type { Clock } from "../clock.ts";' },
      ]),
    ).toEqual([
      "src/chat/events.ts: chat -> domain",
      "src/entry/node/x.ts: entry -> console",
      "src/newpart/x.ts: newpart -> clock",
    ]);
  });

  it("holds for every file under src/, commands/ and console/", () => {
    const files = [...sourceFiles("src"), ...sourceFiles("commands"), ...sourceFiles("console")];
    expect(files.length).toBeGreaterThan(100);
    const found = violations(files.map((path) => ({ path, source: readFileSync(join(ROOT, path), "utf8") })));
    expect(found).toEqual([]);
  });

  it("names every part of the tree", () => {
    const parts = new Set([...sourceFiles("src"), ...sourceFiles("commands")].map(partOf));
    expect([...parts].filter((part) => part !== undefined && !(part in ALLOWED))).toEqual([]);
  });
});
