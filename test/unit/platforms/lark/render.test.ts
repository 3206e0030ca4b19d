// renderLarkCard / renderLarkMessage: Card JSON 2.0 shape, callback values, forms, the 30 KB cap.
import { describe, expect, it } from "vitest";
import type { Card } from "../../../../src/chat/card.ts";
import { markup } from "../../../../src/chat/rich-text.ts";
import { renderLarkCard, renderLarkMessage } from "../../../../src/platforms/lark/render.ts";

const orderCard: Card = {
  title: "Confirm order",
  tone: "warning",
  fields: [
    { label: "Customer", value: "ACME **Ltd**" },
    { label: "Model", value: "X-100" },
    { label: "Quantity", value: "20" },
  ],
  markdown: markup("**Due** 2026-12-01"),
  buttons: [
    { label: "Confirm", action: "order.confirm", value: { id: "O-1" }, style: "primary" },
    {
      label: "Cancel",
      action: "order.cancel",
      value: { id: "O-1", action: "spoofed" },
      confirm: "Really cancel?",
    },
  ],
  note: "Sent by opsbot",
};

/** Every object in the card, depth first, for finding components wherever they sit. */
function components(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(components);
  if (typeof node !== "object" || node === null) return [];
  return [node as Record<string, unknown>, ...Object.values(node).flatMap(components)];
}
const byTag = (card: unknown, tag: string) => components(card).filter((c) => c.tag === tag);

describe("renderLarkCard", () => {
  it("produces a shared 2.0 card with header title and tone colour", () => {
    const card = renderLarkCard(orderCard);
    expect(card).toMatchObject({
      schema: "2.0",
      config: { update_multi: true },
      header: { title: { tag: "plain_text", content: "Confirm order" }, template: "orange" },
    });
  });

  it("maps every tone to a Lark template colour", () => {
    const colours = (["neutral", "info", "success", "warning", "danger"] as const).map(
      (tone) => (renderLarkCard({ title: "t", tone }).header as { template: string }).template,
    );
    expect(colours).toEqual(["grey", "blue", "green", "orange", "red"]);
  });

  it("shows field values as plain text, so user input cannot inject markdown", () => {
    const texts = byTag(renderLarkCard(orderCard), "plain_text").map((t) => t.content);
    expect(texts).toEqual(expect.arrayContaining(["Customer", "ACME **Ltd**", "Quantity", "20"]));
    expect(byTag(renderLarkCard(orderCard), "markdown").map((m) => m.content)).toEqual([
      "**Due** 2026-12-01",
    ]);
  });

  it("gives buttons callback values {action, ...value} where the action id cannot be overridden", () => {
    const buttons = byTag(renderLarkCard(orderCard), "button");
    expect(buttons.map((b) => b.behaviors)).toEqual([
      [{ type: "callback", value: { action: "order.confirm", id: "O-1" } }],
      [{ type: "callback", value: { action: "order.cancel", id: "O-1" } }],
    ]);
    expect(buttons.map((b) => b.type)).toEqual(["primary", "default"]);
    expect(buttons[1]?.confirm).toEqual({
      title: { tag: "plain_text", content: "Cancel" },
      text: { tag: "plain_text", content: "Really cancel?" },
    });
  });

  it("renders a form at the root with uniquely named inputs and one submit button", () => {
    const card = renderLarkCard({
      title: "New order",
      tone: "info",
      form: {
        action: "order.submit",
        value: { draft: "d1" },
        submitLabel: "Submit",
        inputs: [
          { name: "customer", label: "Customer", type: "text", required: true, placeholder: "ACME" },
          { name: "qty", label: "Quantity", type: "number", initial: "1" },
          { name: "due", label: "Due", type: "date", initial: "2026-12-01" },
          {
            name: "priority",
            label: "Priority",
            type: "select",
            initial: "normal",
            options: [
              { value: "normal", label: "Normal" },
              { value: "urgent", label: "Urgent" },
            ],
          },
        ],
      },
    });
    const elements = (card.body as { elements: Record<string, unknown>[] }).elements;
    const form = elements.find((element) => element.tag === "form");
    expect(form).toBeDefined();
    const named = components(form).filter((c) => typeof c.name === "string" && c.tag !== "form");
    expect(named.map((c) => [c.tag, c.name])).toEqual([
      ["input", "customer"],
      ["input", "qty"],
      ["date_picker", "due"],
      ["select_static", "priority"],
      ["button", "opsbot_submit"],
    ]);
    const [customer, qty, due, priority, submit] = named;
    expect(customer).toMatchObject({
      required: true,
      placeholder: { content: "ACME" },
      label: { content: "Customer" },
    });
    expect(qty).toMatchObject({ default_value: "1", required: false });
    expect(due).toMatchObject({ initial_date: "2026-12-01" });
    expect(priority).toMatchObject({
      initial_option: "normal",
      options: [{ value: "normal" }, { value: "urgent" }],
    });
    expect(submit).toMatchObject({
      form_action_type: "submit",
      behaviors: [{ type: "callback", value: { action: "order.submit", draft: "d1" } }],
    });
  });

  it("keeps a huge card under 30 KB by shortening the markdown, not the actions", () => {
    const huge: Card = { ...orderCard, markdown: markup(`- 订单 O-20261126-001 ✓\n`.repeat(3000)) };
    const card = renderLarkCard(huge);
    expect(new TextEncoder().encode(JSON.stringify(card)).length).toBeLessThanOrEqual(30 * 1024);
    const markdown = byTag(card, "markdown")[0]?.content as string;
    expect(markdown.endsWith("…")).toBe(true);
    expect(markdown.length).toBeGreaterThan(1000);
    expect(byTag(card, "button")).toHaveLength(2);
  });

  it("drops trailing fields when there is no markdown left to shorten", () => {
    const fields = Array.from({ length: 400 }, (_, i) => ({ label: `Field ${i}`, value: "v".repeat(60) }));
    const card = renderLarkCard({ title: "Many", tone: "neutral", fields });
    expect(new TextEncoder().encode(JSON.stringify(card)).length).toBeLessThanOrEqual(30 * 1024);
    const texts = byTag(card, "plain_text").map((t) => t.content);
    expect(texts).toContain("Field 0");
    expect(texts).not.toContain("Field 399");
  });
});

describe("renderLarkMessage", () => {
  it("sends text as msg_type text with a JSON string content", () => {
    expect(renderLarkMessage({ type: "text", text: 'He said "hi"' })).toEqual({
      msg_type: "text",
      content: '{"text":"He said \\"hi\\""}',
    });
  });

  it("sends cards as msg_type interactive with the card JSON as a string", () => {
    const rendered = renderLarkMessage({ type: "card", card: orderCard });
    expect(rendered.msg_type).toBe("interactive");
    expect(JSON.parse(rendered.content)).toEqual(renderLarkCard(orderCard));
  });
});
