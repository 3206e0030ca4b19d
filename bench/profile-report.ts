// A CPU profile summary in RESULTS.md: the largest categories, and who asked for the work (the Postgres client,
// HTTP, opsbot's own code, V8), so that a missed target names where the time went.
import type { ProfileSummary } from "./cpu-profile.ts";

/** Rows of the category table; the rest are added up in one row. */
const TABLE_ROWS = 12;

/** Whose work a category is: the package or area that called node's internals, else the category itself. */
const requesterOf = (category: string): string => category.split(" ← ")[1] ?? category;

const GROUPS: { name: string; holds: (requester: string) => boolean }[] = [
  {
    name: "the Postgres client (drizzle-orm, postgres.js and the socket work they ask of node)",
    holds: (r) => r === "drizzle-orm" || r === "postgres",
  },
  {
    name: "HTTP in and out (hono, @hono/node-server, node's http, undici, axios, follow-redirects and their socket work)",
    holds: (r) =>
      ["hono", "@hono/node-server", "undici", "node http", "axios", "follow-redirects"].includes(r),
  },
  {
    name: "the Lark SDK (@larksuiteoapi/node-sdk: its dispatcher, decryption and client, and what they ask of node)",
    holds: (r) => r === "@larksuiteoapi/node-sdk",
  },
  {
    name: "opsbot's own code (src/…, console, commands and what they ask of node)",
    holds: (r) => r.startsWith("src/") || r === "src" || r === "console" || r === "commands",
  },
  { name: "garbage collection", holds: (r) => r === "(garbage collector)" },
  { name: "(program): native code outside JavaScript", holds: (r) => r === "(program)" },
];

export interface GroupTime {
  name: string;
  selfMicros: number;
  share: number;
}

/** The busy time by who asked for it, largest first; whatever no group holds comes last as "everything else". */
export function groupByRequester(summary: ProfileSummary): GroupTime[] {
  const totals = new Map<string, number>();
  for (const category of summary.categories) {
    const group = GROUPS.find((g) => g.holds(requesterOf(category.category)))?.name ?? "everything else";
    totals.set(group, (totals.get(group) ?? 0) + category.selfMicros);
  }
  const share = (micros: number) => (summary.busyMicros > 0 ? micros / summary.busyMicros : 0);
  const grouped = [...totals]
    .filter(([name]) => name !== "everything else")
    .map(([name, selfMicros]) => ({ name, selfMicros, share: share(selfMicros) }))
    .sort((a, b) => b.selfMicros - a.selfMicros);
  const rest = totals.get("everything else");
  return rest === undefined
    ? grouped
    : [...grouped, { name: "everything else", selfMicros: rest, share: share(rest) }];
}

/** The share of the busy time that opsbot's own code took (directly or through node). */
export function ownCodeShare(summary: ProfileSummary): number {
  return groupByRequester(summary).find((g) => g.name.startsWith("opsbot's own code"))?.share ?? 0;
}

export const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** A server's profile over one phase of a bench. */
export interface PhaseProfile {
  summary: ProfileSummary;
  /** How long the phase lasted, to see how busy the server was. */
  windowMicros: number;
  /** Events acked in the phase. */
  acked: number;
}

/** Busy time of the server's threads as a share of the phase (over 100 % when two threads were busy at once). */
export const busyShare = (phase: PhaseProfile) => phase.summary.busyMicros / phase.windowMicros;

export const busyPerEvent = (phase: PhaseProfile): ApportionedColumn => ({
  label: "busy time per acked event",
  totalMs: phase.summary.busyMicros / 1000 / phase.acked,
});

/** Below this busy share the server's threads waited more than they worked: its CPU was not what held it back. */
const MOSTLY_BUSY = 0.8;

/** How busy the server's threads were in a phase, and whether that or its waiting set the pace. */
export function busyClause(phase: PhaseProfile): string {
  const share = busyShare(phase);
  const busy = `the server's threads were busy ${percent(share)} of the phase (${busyPerEvent(phase).totalMs.toFixed(2)} ms per acked event)`;
  return share < MOSTLY_BUSY
    ? `${busy} and idle the rest, so its own CPU did not set the pace: its waits did (on Postgres and the network)`
    : `${busy}, so its own CPU set the pace`;
}

/** The last column of the table: a quantity per unit (CPU per command, busy time per event) shared out. */
export interface ApportionedColumn {
  label: string;
  /** The whole, in ms per unit; each row gets its share of it. */
  totalMs: number;
}

/** The table of the largest categories and the line of groups. */
export function renderProfile(summary: ProfileSummary, column: ApportionedColumn): string[] {
  const shown = summary.categories.slice(0, TABLE_ROWS);
  const rest = summary.categories.slice(TABLE_ROWS);
  const restShare = rest.reduce((sum, c) => sum + c.share, 0);
  const row = (category: string, share: number) =>
    `| ${category} | ${percent(share)} | ${(share * column.totalMs).toFixed(2)} ms |`;
  return [
    `| category (self time) | share of busy time | ${column.label} |`,
    "|---|---|---|",
    ...shown.map((c) => row(c.category, c.share)),
    ...(rest.length ? [row(`${rest.length} other categories`, restShare)] : []),
    row("**in all**", 1),
    "",
    `By who asked for the work: ${groupByRequester(summary)
      .map((g) => `${g.name} ${percent(g.share)}`)
      .join("; ")}.`,
  ];
}

/** One clause of where the busy time went: the two largest groups, the largest category, opsbot's own share. */
export function whereTheTimeWent(summary: ProfileSummary): string {
  const groups = groupByRequester(summary);
  const [first, second] = groups;
  const largest = summary.categories[0];
  if (!first || !largest) return "the profile holds no busy samples";
  const ownNamed = [first, second].some((g) => g?.name.startsWith("opsbot's own code"));
  return [
    `${percent(first.share)} went into ${first.name}`,
    second ? ` and ${percent(second.share)} into ${second.name}` : "",
    `; the largest single category is ${largest.category} (${percent(largest.share)})`,
    ownNamed ? "" : `, and opsbot's own code takes ${percent(ownCodeShare(summary))}`,
  ].join("");
}
