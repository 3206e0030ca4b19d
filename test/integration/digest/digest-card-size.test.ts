// The digest card at its largest fits every platform's card, and what it cuts to fit goes in the README's order.
import { describe, expect, it } from "vitest";
import { cardBytes } from "../../../commands/digest/card-budget.ts";
import { digestCard, digestCutSteps, renderDigestCard } from "../../../commands/digest/cards.ts";
import { richPlain } from "../../../src/chat/rich-text.ts";
import type { DigestContent } from "../../../src/domain/digest/content.ts";
import type { UrgentItem } from "../../../src/domain/digest/urgent-items.ts";
import type { AreaFigure } from "../../../src/domain/kpi/area-metrics.ts";
import { AREA_METRIC_SOURCES } from "../../../src/domain/kpi/area-sources.ts";
import { type Kpis, ratio } from "../../../src/domain/kpi/compute.ts";
import type { Risk } from "../../../src/domain/risks/store.ts";
import { METRICS } from "../../../src/domain/targets/metrics.ts";
import type { TargetStanding } from "../../../src/domain/targets/targets.ts";
import { renderRobotMessage, toRobotApiParams } from "../../../src/platforms/dingtalk/render.ts";
import { renderLarkCard } from "../../../src/platforms/lark/render.ts";
import { renderMessage } from "../../../src/platforms/wecom/render.ts";
import { shanghai } from "../kpi/kpi-fixture.ts";

const AS_OF = shanghai("2026-11-30T09:00");
/** A long name full of characters each platform escapes, so escaping costs the most it can. */
const LONG = "[**客户**](x)_`<@all>`_有限公司华东区第三事业部*";

function kpis(from: string, to: string, n: number): Kpis {
  const share = { ...ratio(n - 1, n), pending: n };
  const figure = (unit: "count" | "rate"): AreaFigure =>
    unit === "count" ? { unit, value: n } : { unit, ...ratio(n - 1, n) };
  return {
    window: { from, to },
    today: "2026-11-30",
    provisional: false,
    orders: { received: n, completed: n, onTime: share, overdue: n, delayedOverFiveDays: n },
    complaints: {
      opened: n,
      firstResponseOnTime: share,
      resolutionOnTime: share,
      satisfaction: { ...ratio(Math.floor(n / 2), n), belowTarget: true },
    },
    inspections: { doneVsDue: ratio(n - 1, n), findings: n },
    areas: AREA_METRIC_SOURCES.map((source) => ({
      area: source.area,
      figures: source.metrics.map((metric) => ({ metric, figure: figure(metric.unit) })),
    })),
  };
}

const urgent: UrgentItem[] = Array.from({ length: 5 }, (_, index) =>
  index % 2 === 0
    ? {
        kind: "order",
        number: `O-20261130-${900 + index}`,
        customer: LONG,
        owner: LONG,
        daysLate: 9999,
        deadline: shanghai("2000-01-01T00:00"),
      }
    : {
        kind: "complaint",
        number: `C-20261130-${900 + index}`,
        customer: LONG,
        owner: LONG,
        clock: "resolution",
        deadline: shanghai("2000-01-01T00:00"),
      },
);

/** Every metric with a target for every period, for the company and two departments; every other one missed. */
const targets: TargetStanding[] = METRICS.flatMap((metric) =>
  (["day", "week", "month"] as const).flatMap((period) =>
    ["", LONG, `${LONG}二`].map((department, index) => ({
      target: {
        metric: metric.id,
        period,
        department,
        value: metric.unit === "count" ? 40 : 0.95,
        ownerName: LONG,
      },
      metric,
      actual: metric.unit === "count" ? 5 : 0.5,
      met: index % 2 === 0 ? false : metric.unit === "count" ? null : true,
    })),
  ),
);

const highRisks = Array.from(
  { length: 10 },
  (_, index) =>
    ({
      number: `R-20261130-${100 + index}`,
      description: LONG.repeat(4),
      likelihood: 5,
      impact: 5,
      score: 25,
      status: "open",
      plan: LONG.repeat(4),
      planOwnerId: 1,
      planOwnerName: LONG,
      planDue: "2026-12-31",
    }) as Risk,
);

/** Counts of a large company: the 1 M-order benchmark's month to date is in the ten thousands. */
const big = 99_999;
const worst: DigestContent = {
  date: "2026-11-30",
  asOf: AS_OF,
  timezone: "Asia/Shanghai",
  yesterday: kpis("2026-11-27", "2026-11-27", big),
  dayBefore: kpis("2026-11-26", "2026-11-26", 4),
  monthToDate: kpis("2026-11-01", "2026-11-30", big),
  urgent,
  targets,
  weekly: { highRisks, highRiskTotal: 12 },
  withoutFeedback: "2026-11-27",
  provisional: true,
};

const bytes = (text: string) => Buffer.byteLength(text);
const withoutZeroWidth = (text: string) => text.replaceAll("\u200B", "");

describe.each(["zh", "en"] as const)("the largest digest in %s", (language) => {
  const card = renderDigestCard(worst, language);
  const note = card.note ?? "";

  it("fits WeCom's app (2048 bytes) and robot (4096) markdown without the platform cutting it", () => {
    for (const [channel, limit] of [
      ["app", 2048],
      ["bot", 4096],
      ["webhook", 4096],
    ] as const) {
      const body = renderMessage({ type: "card", card }, channel, "digest");
      if (body.msgtype !== "markdown") throw new Error(`a digest is markdown on WeCom, got ${body.msgtype}`);
      expect(bytes(body.markdown.content)).toBeLessThanOrEqual(limit);
      // The note is last: present whole means nothing was cut off by the platform's own truncation.
      expect(withoutZeroWidth(body.markdown.content)).toContain(note);
    }
  });

  it("fits DingTalk's markdown (12 000 bytes of a 15 000-byte msgParam) whole", () => {
    const message = renderRobotMessage({ type: "card", card });
    if (message.msgtype !== "markdown")
      throw new Error(`a digest is markdown on DingTalk, got ${message.msgtype}`);
    expect(bytes(message.markdown.text)).toBeLessThanOrEqual(12_000);
    expect(bytes(toRobotApiParams(message).msgParam)).toBeLessThanOrEqual(15_000);
    expect(withoutZeroWidth(message.markdown.text)).toContain(note);
  });

  it("fits a Lark card (30 KB) without its markdown being cut", () => {
    const json = JSON.stringify(renderLarkCard(card));
    expect(bytes(json)).toBeLessThanOrEqual(30 * 1024);
    expect(json).not.toContain('\\n…"');
  });

  it("keeps the headline KPIs, every missed target and the warnings, and says what it cut", () => {
    const text = richPlain(card.markdown ?? { parts: [] });
    const kpi = language === "zh" ? "/指标" : "/kpi";
    for (const heading of language === "zh"
      ? ["订单", "投诉", "巡检"]
      : ["Orders", "Complaints", "Inspections"])
      expect(text).toContain(heading);
    expect(text).toContain(language === "zh" ? "当前逾期: 99999" : "Overdue now: 99999");
    expect(text).toContain(language === "zh" ? "延期超过 5 天: 99999\n" : "Delayed > 5 days: 99999\n");
    expect(text).toContain(language === "zh" ? "2026-11-27 没有记录客户反馈" : "day, 2026-11-27 (/feedback)");
    // Every missed target is listed or counted: three daily ones by name, the rest as numbers.
    const missedDaily = targets.filter(({ met, target }) => met === false && target.period === "day").length;
    const missedLonger = targets.filter(({ met, target }) => met === false && target.period !== "day").length;
    expect(text.split(language === "zh" ? "⚠ 未达标" : "⚠ missed").length - 1).toBe(3);
    expect(text).toContain(
      language === "zh" ? `… 还有 ${missedDaily - 3} 项, 见 ${kpi}` : `… ${missedDaily - 3} more, see ${kpi}`,
    );
    expect(text).toContain(
      language === "zh"
        ? `… 另有 ${targets.length - missedDaily} 个目标 (其中 ${missedLonger} 个每周或每月目标未达标), 见 ${kpi}`
        : `… ${targets.length - missedDaily} more targets (${missedLonger} weekly or monthly ones missed), see ${kpi}`,
    );
    expect(text).toContain(language === "zh" ? `… 还有 4 项, 见 ${kpi}` : `… 4 more, see ${kpi}`);
    expect(text).toContain(language === "zh" ? "… 还有 10 项, 见 /风险" : "… 10 more, see /risk");
    expect(text).toContain(
      language === "zh"
        ? `… 还有 ${AREA_METRIC_SOURCES.length} 个指标板块, 见 ${kpi}`
        : `… ${AREA_METRIC_SOURCES.length} more metric sections, see ${kpi}`,
    );
  });
});

describe("the cut order", () => {
  it("is, step by step: urgent beyond three, met targets, areas' month to date, the risk list, areas last first, urgent beyond one", () => {
    const areas = AREA_METRIC_SOURCES.length;
    const steps = digestCutSteps(worst);
    const missedDaily = targets.filter(({ met, target }) => met === false && target.period === "day").length;
    const full = {
      urgentShown: 5,
      targets: "all",
      areaMonthToDate: true,
      riskList: true,
      areasShown: areas,
      missedDailyShown: missedDaily,
      coreMonthToDate: true,
    };
    const expected: object[] = [full];
    let last: object = full;
    const next = (change: object) => {
      last = { ...last, ...change };
      expected.push(last);
    };
    next({ urgentShown: 3 });
    next({ targets: "missed" });
    next({ areaMonthToDate: false });
    next({ riskList: false });
    for (let shown = areas - 1; shown >= 0; shown--) next({ areasShown: shown });
    next({ targets: "count" });
    next({ missedDailyShown: 3 });
    next({ urgentShown: 1 });
    next({ coreMonthToDate: false });
    expect(steps).toEqual(expected);
  });

  it("takes the first step that fits: nothing cut with room, only the urgent list with a little less", () => {
    const [whole, urgentCut] = digestCutSteps(worst).map((cuts) => digestCard(worst, "en", cuts));
    if (!whole || !urgentCut) throw new Error("the cut order has at least two steps");
    expect(renderDigestCard(worst, "en", 1_000_000)).toEqual(whole);
    const between = cardBytes(urgentCut);
    const shorter = renderDigestCard(worst, "en", between);
    expect(richPlain(shorter.markdown ?? { parts: [] })).toContain("… 2 more, see /kpi");
    expect(richPlain(shorter.markdown ?? { parts: [] })).toContain("✓ met");
  });
});
