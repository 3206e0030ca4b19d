// Each platform's payload, as the real renderer writes it, reads back into the card the console draws.
import { describe, expect, it } from "vitest";
import { dingtalkView } from "../../../console/dingtalk/view.ts";
import { larkView } from "../../../console/lark/view.ts";
import type { CardView } from "../../../console/message-view.ts";
import { wecomView } from "../../../console/wecom/view.ts";
import type { Card } from "../../../src/chat/card.ts";
import {
  renderCardParams,
  renderRobotMessage,
  toRobotApiParams,
} from "../../../src/platforms/dingtalk/render.ts";
import { renderLarkMessage } from "../../../src/platforms/lark/render.ts";
import { renderMessage } from "../../../src/platforms/wecom/render.ts";

const orderCard: Card = {
  title: "Confirm order O-20261126-001",
  tone: "info",
  fields: [
    { label: "Customer", value: "华东五金" },
    { label: "Quantity", value: "100" },
  ],
  buttons: [
    { label: "Confirm", action: "order.confirm", value: { id: "O-20261126-001" }, style: "primary" },
    {
      label: "Cancel",
      action: "order.cancel",
      value: { id: "O-20261126-001" },
      style: "danger",
      confirm: "Sure?",
    },
  ],
  note: "Draft",
};

const formCard: Card = {
  title: "New order",
  tone: "neutral",
  form: {
    action: "order.create",
    submitLabel: "Create",
    inputs: [
      { name: "customer", label: "Customer", type: "text", required: true },
      { name: "due", label: "Due", type: "date", required: true },
      { name: "shift", label: "Shift", type: "select", options: [{ value: "a", label: "Early" }] },
    ],
  },
};

const cardOf = (view: ReturnType<typeof larkView>): CardView => {
  if (view.kind !== "card") throw new Error(`not a card: ${JSON.stringify(view)}`);
  return view.card;
};

describe("Lark card JSON 2.0", () => {
  it("reads title, header colour, fields, buttons with their callback values and the note", () => {
    const card = cardOf(larkView(renderLarkMessage({ type: "card", card: orderCard })));
    expect(card).toMatchObject({ title: orderCard.title, color: "blue", note: "Draft" });
    expect(card.fields).toEqual(orderCard.fields);
    expect(card.buttons.map((button) => [button.label, button.style, button.confirm])).toEqual([
      ["Confirm", "primary", undefined],
      ["Cancel", "danger", "Sure?"],
    ]);
    expect(card.buttons[0]?.click).toEqual({
      kind: "callback",
      data: { id: "O-20261126-001", action: "order.confirm" },
    });
  });

  it("reads a form's inputs with their labels and its submit button", () => {
    const card = cardOf(larkView(renderLarkMessage({ type: "card", card: formCard })));
    expect(card.form?.inputs.map((input) => [input.name, input.label, input.type])).toEqual([
      ["customer", "Customer", "text"],
      ["due", "Due", "date"],
      ["shift", "Shift", "select"],
    ]);
    expect(card.form?.submit).toMatchObject({ label: "Create", click: { data: { action: "order.create" } } });
  });

  it("reads a text message", () => {
    expect(larkView(renderLarkMessage({ type: "text", text: "hi" }))).toEqual({ kind: "text", text: "hi" });
  });
});

describe("DingTalk", () => {
  it("reads the template card's data: tone colour, content, buttons carrying action and value", () => {
    const params = renderCardParams(orderCard);
    const card = cardOf(dingtalkView({ kind: "card", cardParamMap: params }));
    expect(card).toMatchObject({ title: orderCard.title, color: "blue", note: "Draft" });
    expect(card.markdown).toContain("**Customer**: 华东五金");
    expect(card.buttons[1]?.click).toEqual({
      kind: "callback",
      data: { action: "order.cancel", value: JSON.stringify({ id: "O-20261126-001" }) },
    });
    const form = cardOf(dingtalkView({ kind: "card", cardParamMap: renderCardParams(formCard) })).form;
    expect(form?.inputs.map((input) => input.name)).toEqual(["customer", "due", "shift"]);
  });

  it("turns a template-less actionCard's dtmd:// links into texts the user sends", () => {
    const card = cardOf(
      dingtalkView({
        kind: "robot",
        ...toRobotApiParams(renderRobotMessage({ type: "card", card: orderCard })),
      }),
    );
    expect(card.title).toBe(orderCard.title);
    expect(card.buttons.map((button) => button.click?.kind)).toEqual(["message", "message"]);
    const click = card.buttons[0]?.click;
    expect(click?.kind === "message" && click.text.startsWith("/_ order.confirm ")).toBe(true);
  });
});

describe("WeCom", () => {
  it("reads a robot template card: title, fields, buttons with their key and the card's task id", () => {
    const card = cardOf(wecomView(renderMessage({ type: "card", card: orderCard }, "bot", "task-1")));
    expect(card).toMatchObject({ title: orderCard.title, color: "plain", note: "Draft" });
    expect(card.fields).toEqual(orderCard.fields);
    expect(card.buttons.map((button) => button.style)).toEqual(["primary", "danger"]);
    expect(card.buttons[0]?.click).toMatchObject({
      kind: "callback",
      data: { taskId: "task-1", cardType: "button_interaction" },
    });
  });

  it("reads a group-webhook markdown card with its coloured title", () => {
    const card = cardOf(
      wecomView(renderMessage({ type: "card", card: { ...orderCard, tone: "success" } }, "webhook", "t")),
    );
    expect(card).toMatchObject({ title: orderCard.title, color: "green" });
    expect(card.markdown).toContain("**Customer:** 华东五金");
  });
});
