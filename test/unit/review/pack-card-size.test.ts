// The review pack within each platform's card limits: a month with many long items is cut from its end on every
// platform, so the counts and the first sections stay and the last sections' items go first.
import { describe, expect, it } from "vitest";
import { reviewPackCard } from "../../../commands/review/cards.ts";
import { richPlain } from "../../../src/chat/rich-text.ts";
import type { ReviewPack } from "../../../src/domain/review/pack.ts";
import { METRICS } from "../../../src/domain/targets/metrics.ts";
import { renderRobotMessage } from "../../../src/platforms/dingtalk/render.ts";
import { renderLarkCard } from "../../../src/platforms/lark/render.ts";
import { renderMessage } from "../../../src/platforms/wecom/render.ts";

const bytes = (text: string): number => new TextEncoder().encode(text).length;
const many = <T>(count: number, item: (index: number) => T): T[] =>
  Array.from({ length: count }, (_, i) => item(i));
const LONG = "包装破损导致客户拒收并要求重新发货".repeat(4);

/** A month with everything wrong: 10 items shown of 40 in every section, each line long. */
const pack: ReviewPack = {
  month: "2026-11",
  window: { from: "2026-11-01", to: "2026-11-30" },
  sections: [
    {
      id: "metrics",
      provisional: false,
      metrics: METRICS.map((metric) => ({ metric, actual: null, target: null, met: null })),
    },
    {
      id: "late_orders",
      total: 40,
      items: many(10, (i) => ({
        number: `O-20261101-${String(i).padStart(3, "0")}`,
        customer: LONG,
        originalDueDate: "2026-11-10",
        daysLate: 20,
        completed: false,
      })),
    },
    {
      id: "complaint_breaches",
      total: 40,
      items: many(10, (i) => ({
        number: `C-20261101-${i}`,
        customer: LONG,
        response: true,
        resolution: true,
      })),
    },
    {
      id: "inspection_findings",
      total: 40,
      items: many(10, (i) => ({
        inspection: `I-20261101-${i}`,
        area: { zh: "仓库", en: "Warehouse" },
        item: { zh: "温度", en: "Temperature" },
        value: LONG,
        range: { min: 18, max: 26, unit: "°C" },
        safety: i % 2 === 0,
      })),
    },
    {
      id: "overdue_tasks",
      total: 40,
      items: many(10, (i) => ({
        number: `T-${i}`,
        title: LONG,
        ownerName: "王伟",
        dueDate: "2026-11-20",
        done: false,
      })),
    },
    { id: "stock_shortages", total: 40, items: many(10, (i) => ({ sku: `SKU-${i}`, name: LONG })) },
    {
      id: "overdue_services",
      total: 40,
      items: many(10, (i) => ({ code: `LAST-${i}`, name: LONG, dueDate: "2026-11-20" })),
    },
  ],
};

const card = reviewPackCard(pack, "zh");
const COUNTS = "逾期订单 40 · 投诉超时 40 · 巡检发现 40 · 逾期待办 40 · 低于安全库存 40 · 设备保养逾期 40";

describe("the review pack card", () => {
  it("lists 10 items per section with how many more, the counts first", () => {
    const text = richPlain(card.markdown ?? { parts: [] });
    expect(text.startsWith(COUNTS)).toBe(true);
    expect(text).toContain("- … 另有 30 条");
  });

  it("fits WeCom's group-robot markdown (4,096 bytes): the services go, the counts and late orders stay", () => {
    const body = renderMessage({ type: "card", card }, "webhook", "review-2026-11");
    if (body.msgtype !== "markdown") throw new Error(`expected markdown, got ${body.msgtype}`);
    expect(bytes(body.markdown.content)).toBeLessThanOrEqual(4096);
    expect(body.markdown.content).toContain(COUNTS);
    expect(body.markdown.content).toContain("O-20261101-000");
    expect(body.markdown.content).not.toContain("LAST-0");
  });

  it("fits DingTalk's markdown (12,000 bytes) and Lark's 30 KB card, cut from the end", () => {
    const dingtalk = JSON.stringify(renderRobotMessage({ type: "card", card }));
    expect(bytes(dingtalk)).toBeLessThan(14_000);
    expect(dingtalk).toContain("逾期订单 40");
    expect(dingtalk).not.toContain("LAST-9");
    const lark = JSON.stringify(renderLarkCard(card));
    expect(bytes(lark)).toBeLessThanOrEqual(30 * 1024);
    expect(lark).toContain("逾期订单 40");
    expect(lark).toContain("记录行动");
  });
});
