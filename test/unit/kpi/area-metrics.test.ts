// The extension point for areas' metrics: counted per window, shown in /kpi and the digest, read by targets.
import { describe, expect, it } from "vitest";
import { renderDigestCard } from "../../../commands/digest/cards.ts";
import { renderKpiCard } from "../../../commands/kpi/cards.ts";
import type { Db } from "../../../src/db/database.ts";
import type { DigestContent } from "../../../src/domain/digest/content.ts";
import {
  type AreaFigures,
  type AreaMetricSource,
  computeAreaFigures,
  figureValue,
} from "../../../src/domain/kpi/area-metrics.ts";
import { type Kpis, ratio } from "../../../src/domain/kpi/compute.ts";
import { windowInstants } from "../../../src/domain/kpi/window.ts";
import { sourceOf } from "../../helpers/rich-text.ts";

const SAMPLING = { id: "sampling_coverage", name: { zh: "抽检覆盖率", en: "sampling coverage" } } as const;
const LOTS = { id: "lots_released", name: { zh: "放行批次", en: "lots released" } } as const;

const source: AreaMetricSource = {
  area: { zh: "质检", en: "Quality" },
  metrics: [
    { ...SAMPLING, unit: "rate", direction: "higher" },
    { ...LOTS, unit: "count", direction: "higher" },
  ],
  // Each window's figures come from its first day's number, so the test can tell the windows apart.
  compute: async (_db, windows) =>
    windows.map(({ window }) => {
      const day = Number(window.from.slice(-2));
      return {
        sampling_coverage: { unit: "rate", ...ratio(day - 1, day) },
        lots_released: { unit: "count", value: day },
      };
    }),
};

const context = {
  timezone: "Asia/Shanghai",
  now: new Date("2026-11-26T01:00:00Z"),
  today: "2026-11-26",
  calendar: undefined as never,
};
const window = (from: string, to: string) => ({
  window: { from, to },
  instants: windowInstants({ from, to }, "Asia/Shanghai"),
});
const noDb = undefined as unknown as Db;

function kpis(from: string, to: string, areas: AreaFigures[]): Kpis {
  const none = { ...ratio(0, 0), pending: 0 };
  return {
    window: { from, to },
    today: "2026-11-26",
    provisional: false,
    orders: { received: 0, completed: 0, onTime: none, overdue: 0, delayedOverFiveDays: 0 },
    complaints: {
      opened: 0,
      firstResponseOnTime: none,
      resolutionOnTime: none,
      satisfaction: { ...ratio(0, 0), belowTarget: null },
    },
    inspections: { doneVsDue: ratio(0, 0), findings: 0 },
    areas,
  };
}

describe("area metrics", () => {
  it("are counted for every window in order, and a figure an area forgot is an error, not a zero", async () => {
    const [yesterday, dayBefore] = await computeAreaFigures(
      noDb,
      [source],
      [window("2026-11-25", "2026-11-25"), window("2026-11-24", "2026-11-24")],
      context,
    );
    expect(yesterday?.[0]?.figures.map(({ figure }) => figureValue(figure))).toEqual([24 / 25, 25]);
    expect(dayBefore?.[0]?.figures.map(({ figure }) => figureValue(figure))).toEqual([23 / 24, 24]);

    const forgetful: AreaMetricSource = {
      ...source,
      compute: async (_db, windows) => windows.map(() => ({})),
    };
    await expect(
      computeAreaFigures(noDb, [forgetful], [window("2026-11-25", "2026-11-25")], context),
    ).rejects.toThrow("the sampling_coverage metric was not counted");
  });

  it("show under their area's heading in /kpi and, with the change against the day before, in the digest", async () => {
    const [yesterday, dayBefore, month] = await computeAreaFigures(
      noDb,
      [source],
      [
        window("2026-11-25", "2026-11-25"),
        window("2026-11-24", "2026-11-24"),
        window("2026-11-01", "2026-11-26"),
      ],
      context,
    );
    const card = renderKpiCard(kpis("2026-11-25", "2026-11-25", yesterday ?? []), "en");
    expect(sourceOf(card.markdown)).toContain(
      "**Quality**\nsampling coverage: 96% (24/25)\nlots released: 25",
    );

    const digest: DigestContent = {
      date: "2026-11-26",
      asOf: context.now,
      timezone: context.timezone,
      yesterday: kpis("2026-11-25", "2026-11-25", yesterday ?? []),
      dayBefore: kpis("2026-11-24", "2026-11-24", dayBefore ?? []),
      monthToDate: kpis("2026-11-01", "2026-11-26", month ?? []),
      urgent: [],
      targets: [],
      provisional: false,
    };
    const zh = sourceOf(renderDigestCard(digest, "zh").markdown);
    expect(zh).toContain(
      "**质检**\n抽检覆盖率: 96% (24/25) ▲0.2pt ｜ 本月 0% (0/1)\n放行批次: 25 ▲1 ｜ 本月 1",
    );
  });
});
