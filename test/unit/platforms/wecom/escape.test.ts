// WeCom: user text renders as text in markdown (app, robot, group webhook), template cards and texts.
import { describe, expect, it } from "vitest";
import type { Card } from "../../../../src/chat/card.ts";
import { escapeWeComPlainText, escapeWeComText } from "../../../../src/platforms/wecom/escape.ts";
import { renderMessage } from "../../../../src/platforms/wecom/render.ts";
import { HOSTILE_TEXTS, PLAIN_TEXTS, plantedMarkup, weComMarkdownOf } from "../../../helpers/hostile-text.ts";

const on = (channel: "app" | "bot" | "webhook") => (card: Card) =>
  weComMarkdownOf(renderMessage({ type: "card", card }, channel, "task-1"));

describe("WeCom escaping", () => {
  it.each(HOSTILE_TEXTS)("plants no markup on any channel, card or markdown: %s", (text) => {
    for (const channel of ["app", "bot", "webhook"] as const)
      for (const withButtons of [false, true])
        expect(plantedMarkup(on(channel), "wecom", text, withButtons)).toEqual({});
  });

  it("keeps <@userid> mentions out of text messages", () => {
    const body = renderMessage({ type: "text", text: "已授予 <@all> 管理员" }, "app", "task-1");
    expect(JSON.stringify(body)).not.toContain("<@");
  });

  it.each(HOSTILE_TEXTS)("reads exactly as typed: %s", (text) => {
    expect(escapeWeComText(text).replaceAll("\u200B", "").replaceAll("\u02CB", "`")).toBe(text);
  });

  it("leaves Chinese text, punctuation and numbers unchanged", () => {
    for (const text of PLAIN_TEXTS) {
      expect(escapeWeComText(text)).toBe(text);
      expect(escapeWeComPlainText(text)).toBe(text);
    }
  });
});
