// DingTalk: user text renders as text in robot markdown, actionCards and the card template's content.
import { describe, expect, it } from "vitest";
import type { Card } from "../../../../src/chat/card.ts";
import { escapeDingTalkText } from "../../../../src/platforms/dingtalk/escape.ts";
import { renderCardParams, renderRobotMessage } from "../../../../src/platforms/dingtalk/render.ts";
import {
  dingTalkMarkdownOf,
  HOSTILE_TEXTS,
  PLAIN_TEXTS,
  plantedMarkup,
} from "../../../helpers/hostile-text.ts";

const robot = (card: Card) => dingTalkMarkdownOf(renderRobotMessage({ type: "card", card }));
const template = (card: Card) => renderCardParams(card)?.content ?? "";

describe("DingTalk escaping", () => {
  it.each(HOSTILE_TEXTS)("plants no markup in markdown, actionCard or template content: %s", (text) => {
    expect(plantedMarkup(robot, "dingtalk", text, false)).toEqual({});
    expect(plantedMarkup(robot, "dingtalk", text, true)).toEqual({});
    expect(plantedMarkup(template, "dingtalk", text, true)).toEqual({});
  });

  it("keeps only opsbot's own dtmd:// button links in an actionCard", () => {
    const message = renderRobotMessage({
      type: "card",
      card: { title: "t", tone: "info", fields: [{ label: "客户", value: HOSTILE_TEXTS[0] ?? "" }] },
    });
    expect(dingTalkMarkdownOf(message)).not.toMatch(/dtmd:\/\//);
  });

  it.each(HOSTILE_TEXTS)("reads exactly as typed: %s", (text) => {
    expect(escapeDingTalkText(text).replaceAll("\u200B", "").replaceAll("\u02CB", "`")).toBe(text);
  });

  it("leaves Chinese text, punctuation and numbers unchanged", () => {
    for (const text of PLAIN_TEXTS) expect(escapeDingTalkText(text)).toBe(text);
  });
});
