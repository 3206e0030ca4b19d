// Hostile-input run of the reliability suite: runsPerRoute fuzz cases on every webhook route, tallied per route.

import type { Card } from "../../src/chat/card.ts";
import { renderCardParams, renderRobotMessage } from "../../src/platforms/dingtalk/render.ts";
import { renderLarkCard } from "../../src/platforms/lark/render.ts";
import { renderMessage } from "../../src/platforms/wecom/render.ts";
import {
  dingTalkMarkdownOf,
  HOSTILE_TEXTS,
  larkMarkdownOf,
  plantedMarkup,
  weComMarkdownOf,
} from "../../test/helpers/hostile-text.ts";
import {
  FUZZED_ROUTES,
  fuzzRoute,
  type RouteTally,
  startFuzzTarget,
} from "../../test/helpers/webhook-fuzz.ts";

/** Every way a card reaches a platform's markdown, for the hostile-text corpus. */
const RENDERINGS: {
  name: string;
  platform: "lark" | "dingtalk" | "wecom";
  render: (card: Card) => string;
}[] = [
  { name: "lark card", platform: "lark", render: (card) => larkMarkdownOf(renderLarkCard(card)) },
  {
    name: "dingtalk robot",
    platform: "dingtalk",
    render: (card) => dingTalkMarkdownOf(renderRobotMessage({ type: "card", card })),
  },
  {
    name: "dingtalk template",
    platform: "dingtalk",
    render: (card) => renderCardParams(card)?.content ?? "",
  },
  ...(["app", "bot", "webhook"] as const).map((channel) => ({
    name: `wecom ${channel}`,
    platform: "wecom" as const,
    render: (card: Card) => weComMarkdownOf(renderMessage({ type: "card", card }, channel, "fuzz")),
  })),
];

/** Renders the hostile-text corpus in every card slot on every platform; lines naming any planted markup. */
export function hostileTextFindings(): string[] {
  const findings: string[] = [];
  for (const { name, platform, render } of RENDERINGS)
    for (const text of HOSTILE_TEXTS)
      for (const withButtons of [false, true]) {
        const planted = plantedMarkup(render, platform, text, withButtons);
        if (Object.keys(planted).length > 0)
          findings.push(`${name}: ${JSON.stringify(text)} → ${JSON.stringify(planted)}`);
      }
  return findings;
}

export interface FuzzRouteReport extends RouteTally {
  durationMs: number;
}

export interface FuzzReport {
  runsPerRoute: number;
  seed: number;
  /** "postgres" when TEST_DATABASE_URL is set, else "pglite". */
  database: "postgres" | "pglite";
  routes: FuzzRouteReport[];
  /** Hostile user text that became a link, mention or markup in some platform's rendered card. */
  hostileText: { cases: number; findings: string[] };
  /** Every route answered every case with a 4xx or a 200 that did nothing: no 5xx, crash, leak, row or call. */
  passed: boolean;
}

/** Runs the fuzz in this process on a fresh database (TEST_DATABASE_URL, else PGlite). */
export async function runFuzz({
  runsPerRoute,
  seed = Date.now() % 2 ** 31,
}: {
  runsPerRoute: number;
  seed?: number;
}): Promise<FuzzReport> {
  const target = await startFuzzTarget();
  const routes: FuzzRouteReport[] = [];
  try {
    for (const route of FUZZED_ROUTES) {
      const started = performance.now();
      const tally = await fuzzRoute(target, route, runsPerRoute, seed);
      routes.push({ ...tally, durationMs: Math.round(performance.now() - started) });
    }
  } finally {
    await target.close();
  }
  const clean = (route: FuzzRouteReport) =>
    route.status5xx === 0 &&
    route.crashes === 0 &&
    route.badAnswers === 0 &&
    Object.keys(route.rowsWritten).length === 0 &&
    route.platformCalls === 0;
  const hostileText = {
    cases: RENDERINGS.length * HOSTILE_TEXTS.length * 2,
    findings: hostileTextFindings(),
  };
  return {
    runsPerRoute,
    seed,
    database: process.env.TEST_DATABASE_URL ? "postgres" : "pglite",
    routes,
    hostileText,
    passed: routes.every(clean) && hostileText.findings.length === 0,
  };
}

/** One line per route, for a terminal or a results file. */
export function formatFuzzReport(report: FuzzReport): string {
  const header = `fuzz: ${report.runsPerRoute} cases per route, seed ${report.seed}, ${report.database}`;
  const lines = report.routes.map((route) => {
    const statuses = Object.entries(route.statuses)
      .map(([status, count]) => `${status}×${count}`)
      .join(" ");
    const rows = Object.values(route.rowsWritten).reduce((sum, count) => sum + count, 0);
    return (
      `${route.route.padEnd(32)} cases ${route.cases}  4xx ${route.status4xx}  200 ${route.status200}  ` +
      `5xx ${route.status5xx}  crashes ${route.crashes}  bad answers ${route.badAnswers}  rows written ${rows}  ` +
      `platform calls ${route.platformCalls}  ${route.durationMs} ms  [${statuses}]` +
      route.examples.map((example) => `\n    ${example}`).join("")
    );
  });
  const { hostileText } = report;
  const text =
    `hostile text: ${hostileText.cases} renderings (${HOSTILE_TEXTS.length} strings × ${RENDERINGS.length} card forms × with/without buttons), ` +
    `planted markup ${hostileText.findings.length}` +
    hostileText.findings.map((finding) => `\n    ${finding}`).join("");
  return [header, ...lines, text, report.passed ? "fuzz: passed" : "fuzz: FAILED"].join("\n");
}

// `npm run reliability:fuzz [-- <runs per route> [seed]]`: the full run is 10,000 cases per route.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [runs = "10000", seed] = process.argv.slice(2);
  const report = await runFuzz({ runsPerRoute: Number(runs), ...(seed ? { seed: Number(seed) } : {}) });
  console.log(formatFuzzReport(report));
  process.exitCode = report.passed ? 0 : 1;
}
