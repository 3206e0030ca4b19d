import { describe, expect, it } from "vitest";
import type { Card } from "../../../../src/chat/card.ts";
import { markup } from "../../../../src/chat/rich-text.ts";
import { decodeButtonKey, SETTLED_KEY } from "../../../../src/platforms/wecom/button-key.ts";
import {
  renderCardMarkdown,
  renderMessage,
  renderReplacementCard,
  taskIdFor,
  truncateBytes,
} from "../../../../src/platforms/wecom/render.ts";

const orderCard: Card = {
  title: "Confirm order O-20261126-001",
  tone: "warning",
  fields: [
    { label: "Customer", value: "Acme" },
    { label: "Qty", value: "12" },
  ],
  markdown: markup("Please **check** the due date."),
  buttons: [
    { label: "Confirm", action: "order.confirm", value: { order: "O-20261126-001" }, style: "primary" },
    { label: "Cancel", action: "order.cancel", value: { order: "O-20261126-001" }, style: "danger" },
  ],
  note: "Requested by Wang Wei",
};

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe("wecom template cards", () => {
  it("renders buttons as a button_interaction card with keys carrying the action", () => {
    const body = renderMessage({ type: "card", card: orderCard }, "app", "task-1");
    expect(body).toEqual({
      msgtype: "template_card",
      template_card: {
        card_type: "button_interaction",
        main_title: { title: orderCard.title, desc: "Requested by Wang Wei" },
        sub_title_text: "Please check the due date.",
        horizontal_content_list: [
          { keyname: "Customer", value: "Acme" },
          { keyname: "Qty", value: "12" },
        ],
        button_list: [
          { text: "Confirm", style: 1, key: expect.stringMatching(/^order\.confirm\|/) },
          { text: "Cancel", style: 4, key: expect.stringMatching(/^order\.cancel\|/) },
        ],
        task_id: "task-1",
      },
    });
    if (body.msgtype !== "template_card") return;
    const [confirm] = body.template_card.button_list ?? [];
    expect(decodeButtonKey(confirm?.key ?? "")).toEqual({
      actionId: "order.confirm",
      value: { order: "O-20261126-001" },
    });
  });

  it("maps danger and default to the robot's own style numbers", () => {
    const card: Card = {
      ...orderCard,
      buttons: [...(orderCard.buttons ?? []), { label: "Later", action: "x" }],
    };
    const body = renderMessage({ type: "card", card }, "bot", "t");
    if (body.msgtype !== "template_card") throw new Error("expected a template card");
    expect(body.template_card.button_list?.map((button) => button.style)).toEqual([1, 3, 4]);
  });

  it("keeps at most 6 buttons and 6 fields, moving extra fields into the text", () => {
    const card: Card = {
      title: "Many",
      tone: "neutral",
      fields: Array.from({ length: 8 }, (_, i) => ({ label: `f${i}`, value: `v${i}` })),
      buttons: Array.from({ length: 8 }, (_, i) => ({ label: `b${i}`, action: `a.${i}` })),
    };
    const body = renderMessage({ type: "card", card }, "app", "t");
    if (body.msgtype !== "template_card") throw new Error("expected a template card");
    expect(body.template_card.button_list).toHaveLength(6);
    expect(body.template_card.horizontal_content_list).toHaveLength(6);
    expect(body.template_card.sub_title_text).toBe("f6: v6\nf7: v7");
  });

  it("puts long text in the quote area", () => {
    const card: Card = { ...orderCard, markdown: markup("x".repeat(200)) };
    const body = renderMessage({ type: "card", card }, "app", "t");
    if (body.msgtype !== "template_card") throw new Error("expected a template card");
    expect(body.template_card.sub_title_text).toBeUndefined();
    expect(body.template_card.quote_area).toEqual({ type: 0, quote_text: "x".repeat(200) });
  });

  it("renders a form of selects as multiple_interaction with the submit key carrying the action", () => {
    const card: Card = {
      title: "Inspect",
      tone: "info",
      form: {
        action: "inspection.submit",
        value: { area: "A1" },
        submitLabel: "Submit",
        inputs: [
          {
            name: "exits",
            label: "Exits clear",
            type: "select",
            initial: "yes",
            options: [
              { value: "yes", label: "Yes" },
              { value: "no", label: "No" },
            ],
          },
        ],
      },
    };
    const body = renderMessage({ type: "card", card }, "app", "t");
    expect(body).toMatchObject({
      msgtype: "template_card",
      template_card: {
        card_type: "multiple_interaction",
        select_list: [
          {
            question_key: "exits",
            title: "Exits clear",
            selected_id: "yes",
            option_list: [
              { id: "yes", text: "Yes" },
              { id: "no", text: "No" },
            ],
          },
        ],
        submit_button: { text: "Submit" },
        task_id: "t",
      },
    });
    if (body.msgtype === "template_card")
      expect(decodeButtonKey(body.template_card.submit_button?.key ?? "")).toEqual({
        actionId: "inspection.submit",
        value: { area: "A1" },
      });
  });

  it("falls back to markdown with typing instructions for forms with text inputs", () => {
    const card: Card = {
      title: "New order",
      tone: "neutral",
      markdown: markup("Usage: /order new <customer> <model> <qty> <due>"),
      form: {
        action: "order.create",
        submitLabel: "Create",
        inputs: [
          { name: "customer", label: "Customer", type: "text", placeholder: "Acme" },
          { name: "qty", label: "Quantity", type: "number" },
        ],
      },
    };
    const body = renderMessage({ type: "card", card }, "app", "t");
    expect(body.msgtype).toBe("markdown");
    if (body.msgtype !== "markdown") return;
    expect(body.markdown.content).toContain("/order new <customer>");
    expect(body.markdown.content).toContain("• Customer: Acme");
    expect(body.markdown.content).toContain("• Quantity");
    expect(body.markdown.content).toContain("type the command");
  });

  it("replaces a clicked card with a settled one when nothing is left to click (no text_notice: it needs a URL)", () => {
    const settled: Card = {
      title: "Order confirmed",
      tone: "success",
      note: "Confirmed by Wang Wei at 10:02",
    };
    expect(renderReplacementCard(settled, "app", "task-9")).toEqual({
      card_type: "button_interaction",
      main_title: { title: "Order confirmed", desc: "Confirmed by Wang Wei at 10:02" },
      button_list: [{ text: "✓", style: 3, key: SETTLED_KEY }],
      replace_text: "✓",
      task_id: "task-9",
    });
    const robot = renderReplacementCard(settled, "bot", "task-9");
    expect(robot.replace_text).toBeUndefined();
    expect(robot.button_list).toEqual([{ text: "✓", style: 4, key: SETTLED_KEY }]);
  });
});

describe("wecom markdown and text", () => {
  it("renders cards without buttons as markdown, in the tone's colour, for every channel", () => {
    const card: Card = { ...orderCard, buttons: [] };
    const body = renderMessage({ type: "card", card }, "app", "t");
    expect(body).toEqual({
      msgtype: "markdown",
      markdown: {
        content: [
          '<font color="warning">**Confirm order O-20261126-001**</font>',
          "Please **check** the due date.",
          "**Customer:** Acme",
          "**Qty:** 12",
          '<font color="comment">Requested by Wang Wei</font>',
        ].join("\n"),
      },
    });
    // The group webhook has no callbacks, so even a card with buttons goes as markdown.
    expect(renderMessage({ type: "card", card: orderCard }, "webhook", "t").msgtype).toBe("markdown");
  });

  it("keeps webhook markdown within 4096 bytes and app markdown within 2048, cutting on a character", () => {
    const card: Card = { title: "Digest", tone: "info", markdown: markup("日报".repeat(2000)) };
    const webhook = renderCardMarkdown(card, 4096);
    expect(bytes(webhook)).toBeLessThanOrEqual(4096);
    expect(webhook.endsWith("…")).toBe(true);
    const app = renderMessage({ type: "card", card }, "app", "t");
    if (app.msgtype !== "markdown") throw new Error("expected markdown");
    expect(bytes(app.markdown.content)).toBeLessThanOrEqual(2048);
    expect(truncateBytes("abc", 3)).toBe("abc");
    expect(truncateBytes("abcd", 3)).toBe("…");
  });

  it("sends texts as text, except through the robot's response_url which takes markdown", () => {
    expect(renderMessage({ type: "text", text: "hi" }, "app", "t")).toEqual({
      msgtype: "text",
      text: { content: "hi" },
    });
    expect(renderMessage({ type: "text", text: "hi" }, "webhook", "t")).toEqual({
      msgtype: "text",
      text: { content: "hi" },
    });
    expect(renderMessage({ type: "text", text: "hi" }, "bot", "t")).toEqual({
      msgtype: "markdown",
      markdown: { content: "hi" },
    });
  });
});

describe("wecom task ids", () => {
  it("keeps clean keys and turns others into ≤128 valid, distinct ids", async () => {
    expect(await taskIdFor("order-confirm_1")).toBe("order-confirm_1");
    const ids = await Promise.all(
      ["digest:chat-1:2026-11-26", "digest_chat-1_2026-11-26", `alert:${"x".repeat(300)}`].map(taskIdFor),
    );
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_@-]{1,128}$/);
    expect(new Set(ids).size).toBe(3);
    expect(await taskIdFor("digest:chat-1:2026-11-26")).toBe(ids[0]);
  });
});
