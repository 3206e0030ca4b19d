// The digest card on its own: the change arrows, the urgent lines, English, and WeCom's 4096-byte markdown.
import { describe, expect, it } from "vitest";
import { countDelta, rateDelta, renderDigestCard } from "../../../commands/digest/cards.ts";
import type { DigestContent } from "../../../src/domain/digest/content.ts";
import type { UrgentItem } from "../../../src/domain/digest/urgent-items.ts";
import { type Kpis, ratio } from "../../../src/domain/kpi/compute.ts";
import { renderMessage } from "../../../src/platforms/wecom/render.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import { shanghai } from "../kpi/kpi-fixture.ts";

const AS_OF = shanghai("2026-11-26T09:00");

/** A KPI block: every count `n`, every share `n - 1` of `n` (`pending` not yet due), CSAT half of `n`. */
function kpis(from: string, to: string, n: number, pending = 0): Kpis {
  const share = { ...ratio(n - 1, n), pending };
  return {
    window: { from, to },
    today: "2026-11-26",
    provisional: false,
    orders: { received: n, completed: n, onTime: share, overdue: n, delayedOverFiveDays: n },
    complaints: {
      opened: n,
      firstResponseOnTime: share,
      resolutionOnTime: share,
      satisfaction: { ...ratio(Math.floor(n / 2), n), belowTarget: true },
    },
    inspections: { doneVsDue: ratio(n - 1, n), findings: n },
    areas: [],
  };
}

function content(urgent: UrgentItem[], big = 9): DigestContent {
  return {
    date: "2026-11-26",
    asOf: AS_OF,
    timezone: "Asia/Shanghai",
    yesterday: kpis("2026-11-25", "2026-11-25", big),
    dayBefore: kpis("2026-11-24", "2026-11-24", 4),
    monthToDate: kpis("2026-11-01", "2026-11-26", big, big),
    urgent,
    targets: [],
    provisional: false,
  };
}

describe("change against the day before", () => {
  it("marks counts up, down and unchanged", () => {
    expect([countDelta(5, 3), countDelta(1, 4), countDelta(2, 2)]).toEqual(["▲2", "▼3", "±0"]);
  });

  it("gives rate changes in percentage points, and none when a day had nothing to count", () => {
    expect(rateDelta(ratio(1, 2), ratio(1, 4))).toBe("▲25pt");
    expect(rateDelta(ratio(1, 3), ratio(2, 3))).toBe("▼33.3pt");
    expect(rateDelta(ratio(1, 2), ratio(2, 4))).toBe("±0pt");
    expect(rateDelta(ratio(1, 2), ratio(0, 0))).toBe("");
  });
});

describe("the provisional mark", () => {
  it("marks the title of a digest on a provisional day and points to /calendar; none otherwise", () => {
    const provisional = { ...content([]), provisional: true };
    expect(renderDigestCard(provisional, "zh").title).toBe("每日运营日报 · 2026-11-26（暂定）");
    expect(renderDigestCard(provisional, "zh").note).toContain("（暂定）的含义见 /日历");
    expect(renderDigestCard(provisional, "en").title).toBe(
      "Daily operations digest · 2026-11-26 (provisional)",
    );
    expect(renderDigestCard(provisional, "en").note).toContain("(provisional): see /calendar");
    expect(renderDigestCard(content([]), "en").title).toBe("Daily operations digest · 2026-11-26");
    expect(renderDigestCard(content([]), "en").note).not.toContain("provisional");
  });
});

describe("urgent items", () => {
  it("says how late a complaint is, and when the list is empty", () => {
    const late: UrgentItem = {
      kind: "complaint",
      number: "C-20261125-001",
      customer: "小米",
      owner: "李娜",
      clock: "resolution",
      deadline: shanghai("2026-11-26T08:20"),
    };
    const withLate = renderDigestCard(content([late]), "zh");
    expect(sourceOf(withLate.markdown)).toContain("1. 投诉 C-20261125-001 小米 · 解决已超时 40 分钟 · @李娜");
    expect(withLate.tone).toBe("warning");
    const calm = renderDigestCard(content([]), "zh");
    expect(sourceOf(calm.markdown)).toContain("**最紧急事项**\n没有逾期或临近期限的事项。");
    expect(calm.tone).toBe("info");
  });

  it("renders in English with the same structure", () => {
    const order: UrgentItem = {
      kind: "order",
      number: "O-20261118-002",
      customer: "Huawei",
      owner: "Wang Wei",
      daysLate: 3,
      deadline: shanghai("2026-11-19T00:00"),
    };
    const card = renderDigestCard(content([order]), "en");
    expect(card.title).toBe("Daily operations digest · 2026-11-26");
    expect(sourceOf(card.markdown)).toContain("Received: 9 ▲5 ｜ MTD 9");
    expect(sourceOf(card.markdown)).toContain(
      "CSAT (target 85%): 44.4% (4/9) ▼5.6pt ⚠ below target ｜ MTD 44.4% (4/9) ⚠ below target",
    );
    expect(sourceOf(card.markdown)).toContain("1. Order O-20261118-002 Huawei · 3 days late · @Wang Wei");
    expect(card.note).toBe("As of 09:00 (Asia/Shanghai)");
  });
});

describe("size", () => {
  it("keeps the biggest digest within WeCom's 4096-byte webhook markdown, so nothing is cut", () => {
    const long = "超长客户名称有限公司".repeat(20);
    const urgent: UrgentItem[] = Array.from({ length: 5 }, (_, index) =>
      index % 2 === 0
        ? {
            kind: "complaint",
            number: `C-20261126-${900 + index}`,
            customer: long,
            owner: long,
            clock: "response",
            deadline: shanghai("2026-11-27T23:59"),
          }
        : {
            kind: "order",
            number: `O-20261126-${900 + index}`,
            customer: long,
            owner: long,
            daysLate: 9999,
            deadline: shanghai("2000-01-01T00:00"),
          },
    );
    const card = renderDigestCard(content(urgent, 9_999_999), "zh");
    const body = renderMessage({ type: "card", card }, "webhook", "digest");
    if (body.msgtype !== "markdown") throw new Error(`a webhook card is markdown, got ${body.msgtype}`);
    const bytes = Buffer.byteLength(body.markdown.content);
    expect(bytes).toBeLessThanOrEqual(4096);
    // Not cut: the last urgent line and the note are still there, and the names were shortened instead.
    expect(body.markdown.content).toContain("5. 投诉 C-20261126-904");
    expect(body.markdown.content.replaceAll("\u200B", "")).toContain("数据截至 09:00 (Asia/Shanghai)");
    expect(sourceOf(card.markdown)).toContain(`@${[...long].slice(0, 15).join("")}…`);
  });
});
