// The morning digest as one neutral card that fits every platform: yesterday and its change, month to date, the urgent items.
import type { Card, CardTone } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, markup, md, type RichText } from "../../src/chat/rich-text.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../src/domain/calendar/local-time.ts";
import type { DigestContent } from "../../src/domain/digest/content.ts";
import type { UrgentItem } from "../../src/domain/digest/urgent-items.ts";
import type { AreaFigure } from "../../src/domain/kpi/area-metrics.ts";
import type { DeadlineRatio, Kpis, Ratio } from "../../src/domain/kpi/compute.ts";
import { formatLocalTime } from "../../src/domain/orders/local-format.ts";
import { CSAT_TARGET_PERCENT, REVIEW_AFTER_DAYS } from "../../src/domain/policy.ts";
import type { TargetStanding } from "../../src/domain/targets/targets.ts";
import { provisionalMark } from "../calendar/provisional-mark.ts";
import { formatRate, targetSection } from "../kpi/cards.ts";
import { riskLine } from "../risks/text.ts";
import { standingLine } from "../targets/text.ts";
import { cardBytes, SMALLEST_CARD_BYTES } from "./card-budget.ts";

type Translate = (zh: string, en: string) => string;

/** Names typed by users are cut to this many characters, so an urgent line stays one short line. */
const NAME_CHARS = 16;

/** "▲2", "▼1", "±0": the change of a count against the day before. */
export function countDelta(now: number, before: number): string {
  const change = now - before;
  if (change > 0) return `▲${change}`;
  if (change < 0) return `▼${-change}`;
  return "±0";
}

/** "▲12.5pt": the change of a rate in percentage points; "" when either day had nothing to count. */
export function rateDelta(now: Ratio, before: Ratio): string {
  if (now.rate === null || before.rate === null) return "";
  const points = Math.round((now.rate - before.rate) * 1000) / 10;
  if (points > 0) return `▲${points}pt`;
  if (points < 0) return `▼${-points}pt`;
  return "±0pt";
}

const shorten = (text: string): string =>
  [...text].length > NAME_CHARS ? `${[...text].slice(0, NAME_CHARS - 1).join("")}…` : text;

/** "50% (1/2)", "50% (1/2, 1 未到期)", or "—" when there is nothing to count. */
function share(ratio: Ratio | DeadlineRatio, t: Translate): string {
  if (ratio.rate === null) return "—";
  const pending =
    "pending" in ratio && ratio.pending > 0
      ? t(`, ${ratio.pending} 未到期`, `, ${ratio.pending} not yet due`)
      : "";
  return `${formatRate(ratio.rate)} (${ratio.numerator}/${ratio.denominator}${pending})`;
}

/** "⚠ 低于目标" after a CSAT under the 85 % target; nothing when on target or when no score was given. */
const belowTarget = (kpis: Kpis, t: Translate): string =>
  kpis.complaints.satisfaction.belowTarget ? `⚠ ${t("低于目标", "below target")}` : "";

const inspected = ({ numerator, denominator, rate }: Ratio): string =>
  `${numerator}/${denominator} (${formatRate(rate)})`;

/** One metric: yesterday's value and its change, then month to date; or one value counted as of now. */
interface Row {
  label: string;
  pick: (kpis: Kpis) => string;
  change?: (yesterday: Kpis, dayBefore: Kpis) => string;
  /** A warning mark after the value of either column. */
  flag?: (kpis: Kpis) => string;
  asOfNow?: true;
}

function rows(t: Translate): Record<"orders" | "complaints" | "inspections", Row[]> {
  return {
    orders: [
      {
        label: t("接单", "Received"),
        pick: (k) => String(k.orders.received),
        change: (y, b) => countDelta(y.orders.received, b.orders.received),
      },
      {
        label: t("完成", "Completed"),
        pick: (k) => String(k.orders.completed),
        change: (y, b) => countDelta(y.orders.completed, b.orders.completed),
      },
      {
        label: t("按期完成率", "On-time completion"),
        pick: (k) => share(k.orders.onTime, t),
        change: (y, b) => rateDelta(y.orders.onTime, b.orders.onTime),
      },
      { label: t("当前逾期", "Overdue now"), pick: (k) => String(k.orders.overdue), asOfNow: true },
      { label: t("延期超过 5 天", "Delayed > 5 days"), pick: (k) => String(k.orders.delayedOverFiveDays) },
    ],
    complaints: [
      {
        label: t("新增", "Opened"),
        pick: (k) => String(k.complaints.opened),
        change: (y, b) => countDelta(y.complaints.opened, b.complaints.opened),
      },
      {
        label: t("首次响应及时率", "First response on time"),
        pick: (k) => share(k.complaints.firstResponseOnTime, t),
        change: (y, b) => rateDelta(y.complaints.firstResponseOnTime, b.complaints.firstResponseOnTime),
      },
      {
        label: t("解决及时率", "Resolved on time"),
        pick: (k) => share(k.complaints.resolutionOnTime, t),
        change: (y, b) => rateDelta(y.complaints.resolutionOnTime, b.complaints.resolutionOnTime),
      },
      {
        label: t(`客户满意度 (目标 ${CSAT_TARGET_PERCENT}%)`, `CSAT (target ${CSAT_TARGET_PERCENT}%)`),
        pick: (k) => share(k.complaints.satisfaction, t),
        flag: (k) => belowTarget(k, t),
        change: (y, b) => rateDelta(y.complaints.satisfaction, b.complaints.satisfaction),
      },
    ],
    inspections: [
      {
        label: t("已检/应检", "Done / due"),
        pick: (k) => inspected(k.inspections.doneVsDue),
        change: (y, b) => rateDelta(y.inspections.doneVsDue, b.inspections.doneVsDue),
      },
      {
        label: t("发现问题", "Findings"),
        pick: (k) => String(k.inspections.findings),
        change: (y, b) => countDelta(y.inspections.findings, b.inspections.findings),
      },
    ],
  };
}

/** The rows of each area's metrics (src/domain/kpi/area-sources.ts), found in each window by position. */
function areaRows(kpis: Kpis, t: Translate): { heading: string; rows: Row[] }[] {
  return kpis.areas.map(({ area, figures }, areaIndex) => {
    const figureIn = (k: Kpis, figureIndex: number): AreaFigure => {
      const figure = k.areas[areaIndex]?.figures[figureIndex]?.figure;
      if (!figure) throw new Error(`the digest's windows count different metrics of ${area.en}`);
      return figure;
    };
    return {
      heading: t(area.zh, area.en),
      rows: figures.map(({ metric }, figureIndex) => ({
        label: t(metric.name.zh, metric.name.en),
        pick: (k) => {
          const figure = figureIn(k, figureIndex);
          return figure.unit === "count" ? String(figure.value) : share(figure, t);
        },
        change: (y, b) => {
          const [now, before] = [figureIn(y, figureIndex), figureIn(b, figureIndex)];
          if (now.unit === "count" && before.unit === "count") return countDelta(now.value, before.value);
          if (now.unit === "rate" && before.unit === "rate") return rateDelta(now, before);
          return "";
        },
      })),
    };
  });
}

/** "3 小时", "2 天", "40 分钟": a span rounded down to the unit people would say. */
function span(ms: number, t: Translate): string {
  if (ms < HOUR_MS) {
    const minutes = Math.max(1, Math.floor(ms / MINUTE_MS));
    return t(`${minutes} 分钟`, `${minutes} min`);
  }
  if (ms < 2 * DAY_MS) {
    const hours = Math.floor(ms / HOUR_MS);
    return t(`${hours} 小时`, `${hours} h`);
  }
  const days = Math.floor(ms / DAY_MS);
  return t(`${days} 天`, `${days} days`);
}

/** One urgent item: opsbot's own words, with the customer and owner names (typed by users) as text. */
function urgentLine(item: UrgentItem, content: DigestContent, t: Translate): RichText {
  const who = md`${markup(item.number)} ${shorten(item.customer)}`;
  const owner = md`@${shorten(item.owner)}`;
  if (item.kind === "order") {
    const late = t(`延误 ${item.daysLate} 天`, `${item.daysLate} days late`);
    const flag = item.daysLate > REVIEW_AFTER_DAYS ? ` ⚠ ${t("需召开专项评审", "special review due")}` : "";
    return md`${markup(t("订单", "Order"))} ${who} · ${markup(`${late}${flag}`)} · ${owner}`;
  }
  const clock = item.clock === "response" ? t("首次响应", "first response") : t("解决", "resolution");
  const left = item.deadline.getTime() - content.asOf.getTime();
  const due = formatLocalTime(item.deadline, content.timezone, content.date);
  const state =
    left <= 0
      ? t(`${clock}已超时 ${span(-left, t)}`, `${clock} overdue by ${span(-left, t)}`)
      : t(`${clock}还剩 ${span(left, t)} (${due} 截止)`, `${clock} due in ${span(left, t)} (${due})`);
  return md`${markup(t("投诉", "Complaint"))} ${who} · ${markup(state)} · ${owner}`;
}

/** Warning when something is already past its deadline, danger when an order needs its special review. */
function tone(urgent: readonly UrgentItem[], asOf: Date): CardTone {
  if (urgent.some((item) => item.kind === "order" && item.daysLate > REVIEW_AFTER_DAYS)) return "danger";
  if (urgent.some((item) => item.deadline.getTime() <= asOf.getTime())) return "warning";
  return "info";
}

/** The daily targets yesterday missed, each named with its owner and department; beyond `shown`, their count. */
function missedTargets(content: DigestContent, language: Language, t: Translate, shown: number): RichText[] {
  const missed = content.targets.filter(isMissedDaily);
  if (missed.length === 0) return [];
  const heading = markup(
    `**⚠ ${language === "zh" ? "昨日未达成的每日目标" : "Daily targets missed yesterday"}**`,
  );
  const lines = missed.slice(0, shown).map((standing) => standingLine(standing, language, shorten));
  const more = missed.length > shown ? [markup(moreLine(missed.length - shown, t("指标", "kpi"), t))] : [];
  return [joinRich([heading, ...lines, ...more], "\n")];
}

const isMissedDaily = ({ target, met }: TargetStanding): boolean => target.period === "day" && met === false;

/** "… 还有 3 项, 见 /指标": where a cut left something out, and where to find it. */
const moreLine = (count: number, command: string, t: Translate): string =>
  t(`… 还有 ${count} 项, 见 /${command}`, `… ${count} more, see /${command}`);

/** The first working day of the week: the open high risks with their plans, or that there are none. */
function weeklyRisks(content: DigestContent, language: Language, t: Translate, listed: boolean): RichText[] {
  const { weekly } = content;
  if (!weekly) return [];
  const more =
    weekly.highRiskTotal > weekly.highRisks.length
      ? t(
          ` (共 ${weekly.highRiskTotal} 个, 显示前 ${weekly.highRisks.length} 个; 全部见 /风险)`,
          ` (${weekly.highRisks.length} of ${weekly.highRiskTotal}; all in /risk)`,
        )
      : "";
  const heading = markup(`**${t("本周高风险及应对计划", "High risks this week and their plans")}${more}**`);
  const lines =
    weekly.highRisks.length === 0
      ? [markup(t("没有未关闭的高风险。", "No open high risks."))]
      : listed
        ? weekly.highRisks.map((risk) => md`- ${riskLine(risk, language, shorten)}`)
        : [markup(moreLine(weekly.highRisks.length, t("风险", "risk"), t))];
  return [joinRich([heading, ...lines], "\n")];
}

/**
 * What the digest leaves out to fit the smallest card (card-budget.ts), each step kept by the next. In this
 * order: the urgent list beyond three items; the targets that were met or not measured (and the daily ones
 * missed, already listed above them); the month-to-date column of the area sections; the list of high risks
 * (their count stays); the area sections, last first; the weekly and monthly targets missed (their count
 * stays); the daily targets missed beyond three; the urgent list beyond its first item; last, the month-to-date
 * column of the orders, complaints and inspections. The legend, yesterday's orders, complaints and inspections,
 * the no-feedback warning and the note are never cut; each cut says how much it left out and where it is
 * shown in full.
 */
export interface DigestCuts {
  urgentShown: number;
  /** All targets, only those missed (weekly and monthly: the daily ones have their own list), or their count. */
  targets: "all" | "missed" | "count";
  areaMonthToDate: boolean;
  riskList: boolean;
  areasShown: number;
  missedDailyShown: number;
  /** The month-to-date column of the orders, complaints and inspections rows; yesterday's column always stays. */
  coreMonthToDate: boolean;
}

/** The targets section: every standing, only the weekly and monthly ones missed, or how many of those there are. */
function targetsShown(
  content: DigestContent,
  language: Language,
  t: Translate,
  shown: DigestCuts["targets"],
): RichText[] {
  if (shown === "all") return targetSection(content.targets, language, shorten);
  const missed = content.targets.filter((standing) => standing.met === false && !isMissedDaily(standing));
  const others = content.targets.length - missed.length - content.targets.filter(isMissedDaily).length;
  const kpi = t("指标", "kpi");
  if (shown === "missed") {
    const more =
      others > 0
        ? [
            markup(
              t(
                `… 另有 ${others} 个已达标或未计的目标, 见 /${kpi}`,
                `… ${others} more targets met or not measured, see /${kpi}`,
              ),
            ),
          ]
        : [];
    return [...targetSection(missed, language, shorten), ...more];
  }
  if (missed.length + others === 0) return [];
  return [
    markup(
      t(
        `… 另有 ${missed.length + others} 个目标 (其中 ${missed.length} 个每周或每月目标未达标), 见 /${kpi}`,
        `… ${missed.length + others} more targets (${missed.length} weekly or monthly ones missed), see /${kpi}`,
      ),
    ),
  ];
}

/** Urgent items shown at the first and the last step of the cut order. */
const URGENT_AFTER_FIRST_CUT = 3;
const URGENT_AFTER_LAST_CUT = 1;
/** Daily targets missed that stay listed when even their list must be cut. */
const MISSED_DAILY_AFTER_CUT = 3;

/** Every step of the cut order, from nothing cut to everything that may be. */
export function digestCutSteps(content: DigestContent): DigestCuts[] {
  const areaCount = content.yesterday.areas.length;
  const missedDaily = content.targets.filter(isMissedDaily).length;
  const none: DigestCuts = {
    urgentShown: content.urgent.length,
    targets: "all",
    areaMonthToDate: true,
    riskList: true,
    areasShown: areaCount,
    missedDailyShown: missedDaily,
    coreMonthToDate: true,
  };
  const steps = [none];
  const next = (change: Partial<DigestCuts>) => {
    const last = steps[steps.length - 1] ?? none;
    steps.push({ ...last, ...change });
  };
  next({ urgentShown: Math.min(content.urgent.length, URGENT_AFTER_FIRST_CUT) });
  next({ targets: "missed" });
  next({ areaMonthToDate: false });
  next({ riskList: false });
  for (let shown = areaCount - 1; shown >= 0; shown--) next({ areasShown: shown });
  next({ targets: "count" });
  next({ missedDailyShown: Math.min(missedDaily, MISSED_DAILY_AFTER_CUT) });
  next({ urgentShown: Math.min(content.urgent.length, URGENT_AFTER_LAST_CUT) });
  next({ coreMonthToDate: false });
  return steps;
}

/**
 * The digest card, as much of it as fits the smallest card of any platform: the first step of the cut order
 * (DigestCuts) that fits, or the last one, which keeps only what is never cut.
 */
export function renderDigestCard(
  content: DigestContent,
  language: Language,
  maxBytes = SMALLEST_CARD_BYTES,
): Card {
  const steps = digestCutSteps(content);
  for (const cuts of steps) {
    const card = digestCard(content, language, cuts);
    if (cardBytes(card) <= maxBytes) return card;
  }
  const last = steps[steps.length - 1];
  if (!last) throw new Error("the digest has no cut steps");
  return digestCard(content, language, last);
}

/** The digest card with `cuts` applied; plain lines under bold headings, which every platform's markdown renders. */
export function digestCard(content: DigestContent, language: Language, cuts: DigestCuts): Card {
  const t: Translate = (zh, en) => (language === "zh" ? zh : en);
  const { yesterday, dayBefore, monthToDate, urgent } = content;
  const mtd = t("本月", "MTD");
  const kpiCommand = t("指标", "kpi");
  const metric =
    (withMonthToDate: boolean) =>
    ({ label, pick, change, flag, asOfNow }: Row): string => {
      if (asOfNow) return `${label}: ${pick(yesterday)}`;
      const value = (kpis: Kpis, ...extras: (string | undefined)[]) =>
        [pick(kpis), ...extras, flag?.(kpis)].filter(Boolean).join(" ");
      const day = `${label}: ${value(yesterday, change?.(yesterday, dayBefore))}`;
      return withMonthToDate ? `${day} ｜ ${mtd} ${value(monthToDate)}` : day;
    };
  // Headings, figures and dates are opsbot's own; only the urgent items' names are user text.
  const block = (heading: string, lines: (string | RichText)[]) =>
    md`**${markup(heading)}**\n${joinRich(
      lines.map((line) => (typeof line === "string" ? markup(line) : line)),
      "\n",
    )}`;
  const table = rows(t);
  const legend = t(
    `昨日 ${yesterday.window.from} (▲▼ 较前日 ${dayBefore.window.from}) ｜ ${mtd} ${monthToDate.window.from} 至 ${monthToDate.window.to}`,
    `Yesterday ${yesterday.window.from} (▲▼ against ${dayBefore.window.from}) ｜ ${mtd} ${monthToDate.window.from} – ${monthToDate.window.to}`,
  );
  const areas = areaRows(yesterday, t);
  const areaBlocks = areas
    .slice(0, cuts.areasShown)
    .map(({ heading, rows: lines }) => block(heading, lines.map(metric(cuts.areaMonthToDate))));
  const areasNote = [
    ...(cuts.areaMonthToDate || cuts.areasShown === 0
      ? []
      : [t(`(以上各项的本月数见 /${kpiCommand})`, `(month to date of the above in /${kpiCommand})`)]),
    ...(cuts.areasShown < areas.length
      ? [
          t(
            `… 还有 ${areas.length - cuts.areasShown} 个指标板块, 见 /${kpiCommand}`,
            `… ${areas.length - cuts.areasShown} more metric sections, see /${kpiCommand}`,
          ),
        ]
      : []),
  ].map(markup);
  const targetLines = targetsShown(content, language, t, cuts.targets);
  const urgentLines =
    urgent.length === 0
      ? [t("没有逾期或临近期限的事项。", "Nothing overdue or close to its deadline.")]
      : [
          ...urgent
            .slice(0, cuts.urgentShown)
            .map((item, index) => md`${markup(`${index + 1}.`)} ${urgentLine(item, content, t)}`),
          ...(urgent.length > cuts.urgentShown
            ? [moreLine(urgent.length - cuts.urgentShown, kpiCommand, t)]
            : []),
        ];
  return {
    title: `${t("每日运营日报", "Daily operations digest")} · ${content.date}${provisionalMark(content.provisional, language)}`,
    tone: tone(urgent, content.asOf),
    markdown: joinRich(
      [
        markup(legend),
        block(t("订单", "Orders"), table.orders.map(metric(cuts.coreMonthToDate))),
        block(t("投诉", "Complaints"), table.complaints.map(metric(cuts.coreMonthToDate))),
        block(t("巡检", "Inspections"), table.inspections.map(metric(cuts.coreMonthToDate))),
        ...(cuts.coreMonthToDate
          ? []
          : [
              markup(
                t(
                  `(订单、投诉、巡检的本月数见 /${kpiCommand})`,
                  `(month to date of orders, complaints and inspections in /${kpiCommand})`,
                ),
              ),
            ]),
        ...areaBlocks,
        ...areasNote,
        ...(content.withoutFeedback
          ? [
              markup(
                t(
                  `⚠ 上个工作日 ${content.withoutFeedback} 没有记录客户反馈 (/反馈)`,
                  `⚠ No customer feedback was logged on the last working day, ${content.withoutFeedback} (/feedback)`,
                ),
              ),
            ]
          : []),
        ...missedTargets(content, language, t, cuts.missedDailyShown),
        ...targetLines,
        ...weeklyRisks(content, language, t, cuts.riskList),
        block(t("最紧急事项", "Most urgent"), urgentLines),
      ],
      "\n\n",
    ),
    note:
      t(
        `数据截至 ${formatLocalTime(content.asOf, content.timezone, content.date)} (${content.timezone})`,
        `As of ${formatLocalTime(content.asOf, content.timezone, content.date)} (${content.timezone})`,
      ) + (content.provisional ? t("；（暂定）的含义见 /日历", "; (provisional): see /calendar") : ""),
  };
}
