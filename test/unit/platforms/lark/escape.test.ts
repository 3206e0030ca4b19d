// Lark: user text renders as text in card markdown and text messages, over the hostile corpus.
import { describe, expect, it } from "vitest";
import { escapeLarkMarkdown, escapeLarkText } from "../../../../src/platforms/lark/escape.ts";
import { renderLarkCard, renderLarkMessage } from "../../../../src/platforms/lark/render.ts";
import { HOSTILE_TEXTS, larkMarkdownOf, PLAIN_TEXTS, plantedMarkup } from "../../../helpers/hostile-text.ts";

const decoded = (escaped: string) =>
  escaped.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

describe("Lark escaping", () => {
  it.each(HOSTILE_TEXTS)("plants no markup in a card: %s", (text) => {
    expect(plantedMarkup((card) => larkMarkdownOf(renderLarkCard(card)), "lark", text, true)).toEqual({});
  });

  it.each(HOSTILE_TEXTS)("reads exactly as typed once the references are read: %s", (text) => {
    expect(decoded(escapeLarkMarkdown(text))).toBe(text);
  });

  it("leaves Chinese text, punctuation and numbers unchanged", () => {
    for (const text of PLAIN_TEXTS) expect(escapeLarkMarkdown(text)).toBe(text);
  });

  it("keeps <at> tags out of text messages", () => {
    const { content } = renderLarkMessage({ type: "text", text: '已授予 <at user_id="all"></at> 管理员' });
    expect(JSON.parse(content).text).not.toMatch(/<at/);
    expect(escapeLarkText("华为 85%")).toBe("华为 85%");
  });
});
