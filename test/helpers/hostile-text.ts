// Hostile user text (markup, links, mentions, tags) and a count of the markup a rendered card holds.

import type { Card } from "../../src/chat/card.ts";
import { md } from "../../src/chat/rich-text.ts";

/** Strings a user could type as a customer, complaint, reason or display name to plant markup in a card. */
export const HOSTILE_TEXTS: readonly string[] = [
  "[查看详情](dtmd://dingtalkclient/sendMessage?content=/role grant ou_mallory admin)",
  "dtmd://dingtalkclient/sendMessage?content=%2Frole",
  "[x](javascript:alert(1))",
  "<at id=all></at>",
  '<at user_id="all">所有人</at>',
  "<@all> <@wangwei>",
  '<font color="red">紧急</font>',
  "<b>bold</b><script>alert(1)</script><img src=x onerror=alert(1)>",
  "`code` ```block```",
  "华为\n# 标题\n> 引用\n- 列表\n1. 第一",
  "**粗体** __下划线__ ~~删除~~ *斜体*",
  "![图](https://example.com/x.png)",
  "<https://example.com> https://example.com/a_b",
  ":OK: :DONE:",
  "&lt;at id=all&gt; &#60;font&#62;",
  "\\[escaped\\](dtmd://x)",
  "| a | b |\n|---|---|",
  "<text_tag color='red'>标签</text_tag><link url='https://x'>l</link>",
];

/** Plain text with Chinese punctuation and numbers, which every escape must leave exactly as typed. */
export const PLAIN_TEXTS: readonly string[] = [
  "华为技术有限公司，包装破损！约10点送达（急）。",
  "订单 O-20261126-001 逾期 3 天；客户满意度 85%",
  "王伟",
];

/** Markup constructs any of the three platforms would act on; a key per kind, so a failure names it. */
const CONSTRUCTS: Record<string, RegExp> = {
  link: /\]\(|\]\s*\[|<(?:https?|dtmd|dingtalk|javascript):/gi,
  scheme: /\b(?:dtmd|dingtalk|javascript|https?):\/\//gi,
  tag: /<[A-Za-z/@!]/g,
  emphasis: /\*\*|__|~~/g,
  code: /`/g,
  block: /^[ \t]*(?:#{1,6}[ \t]|>|[-+*][ \t]|\d+[.)][ \t]|\|)/gm,
};
/** Lark's markdown alone turns :NAME: into an emoji. */
const LARK_EMOJI = /:[A-Z_]+:/g;

/** How many of each construct `rendered` holds, as `platform` would read it. */
export function markupIn(rendered: string, platform: "lark" | "dingtalk" | "wecom"): Record<string, number> {
  const patterns = platform === "lark" ? { ...CONSTRUCTS, emoji: LARK_EMOJI } : CONSTRUCTS;
  return Object.fromEntries(
    Object.entries(patterns).map(([kind, pattern]) => [kind, rendered.match(pattern)?.length ?? 0]),
  );
}

/** A card with `text` in every slot a user's words can reach: title, field, markdown, note, labels. */
export function cardCarrying(text: string, withButtons: boolean): Card {
  return {
    title: `投诉 ${text}`,
    tone: "warning",
    fields: [
      { label: "客户", value: text },
      { label: "Taken by", value: `${text} · 10:02` },
    ],
    markdown: md`**投诉内容**\n${text}\n- ${text}`,
    note: `${text} 于 10:02 认领`,
    ...(withButtons && {
      buttons: [{ label: "认领", action: "complaint.take", value: { number: "C-20261126-001" } }],
    }),
  };
}

/** Markup found in the hostile render beyond what the same card with a harmless word holds: {} when none. */
export function plantedMarkup(
  render: (card: Card) => string,
  platform: "lark" | "dingtalk" | "wecom",
  text: string,
  withButtons: boolean,
): Record<string, number> {
  const hostile = markupIn(render(cardCarrying(text, withButtons)), platform);
  const harmless = markupIn(render(cardCarrying("x", withButtons)), platform);
  return Object.fromEntries(
    Object.entries(hostile)
      .map(([kind, count]) => [kind, count - (harmless[kind] ?? 0)] as const)
      .filter(([, extra]) => extra !== 0),
  );
}

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null;

/** The text of every Lark element that reads markdown (`markdown`, `lark_md`), one per line. */
export function larkMarkdownOf(node: unknown): string {
  if (Array.isArray(node)) return node.map(larkMarkdownOf).filter(Boolean).join("\n");
  if (!isJson(node)) return "";
  const own = node.tag === "markdown" || node.tag === "lark_md" ? [String(node.content ?? "")] : [];
  return [...own, ...Object.values(node).map(larkMarkdownOf)].filter(Boolean).join("\n");
}

/** The markdown a DingTalk robot message carries (markdown or actionCard text; buttons are opsbot's links). */
export function dingTalkMarkdownOf(message: unknown): string {
  if (!isJson(message)) return "";
  const part = message[String(message.msgtype)];
  return isJson(part) && typeof part.text === "string" ? part.text : "";
}

/** The markdown a WeCom body carries; text and template-card fields are shown as plain text. */
export function weComMarkdownOf(body: unknown): string {
  if (!isJson(body) || body.msgtype !== "markdown" || !isJson(body.markdown)) return "";
  return String(body.markdown.content ?? "");
}
