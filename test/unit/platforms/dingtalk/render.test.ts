import { describe, expect, it } from "vitest";
import type { Card, CardButton } from "../../../../src/chat/card.ts";
import { markup } from "../../../../src/chat/rich-text.ts";
import { parseActionText } from "../../../../src/platforms/dingtalk/action-link.ts";
import {
  renderCardCallbackAnswer,
  renderCardParams,
  renderRobotMessage,
  toRobotApiParams,
} from "../../../../src/platforms/dingtalk/render.ts";

const confirmCard: Card = {
  title: "确认订单 O-20261126-001",
  tone: "warning",
  fields: [
    { label: "客户", value: "ACME" },
    { label: "数量", value: "3" },
  ],
  markdown: markup("请确认交期\n- 型号 X1\n- 交期 2026-12-01"),
  buttons: [
    { label: "确认", action: "order.confirm", value: { id: "O-20261126-001" }, style: "primary" },
    {
      label: "取消",
      action: "order.cancel",
      value: { id: "O-20261126-001" },
      style: "danger",
      confirm: "确定取消？",
    },
  ],
  note: "王伟 10:02",
};

/** The action a rendered dtmd button would make the client post. */
function clickedAction(actionURL: string) {
  const content = new URL(actionURL).searchParams.get("content");
  return content === null ? null : parseActionText(content);
}

describe("renderRobotMessage (no card template)", () => {
  it("sends text as msgtype text", () => {
    expect(renderRobotMessage({ type: "text", text: "订单已完成" })).toEqual({
      msgtype: "text",
      text: { content: "订单已完成" },
    });
  });

  it("renders a card without buttons as markdown with title, fields, body and note", () => {
    const { buttons: _none, ...card } = confirmCard;
    const message = renderRobotMessage({ type: "card", card });
    if (message.msgtype !== "markdown") throw new Error(message.msgtype);
    expect(message.markdown.title).toBe(card.title);
    expect(message.markdown.text).toBe(
      [
        "#### ⚠️ 确认订单 O-20261126-001",
        "**客户**: ACME  \n  **数量**: 3",
        "请确认交期  \n  - 型号 X1  \n  - 交期 2026-12-01",
        "> 王伟 10:02",
      ].join("\n\n"),
    );
  });

  it("renders buttons as an actionCard whose dtmd links post the reserved action text", () => {
    const message = renderRobotMessage({ type: "card", card: confirmCard });
    if (message.msgtype !== "actionCard") throw new Error(message.msgtype);
    expect(message.actionCard.btns.map((button) => button.title)).toEqual(["确认", "取消"]);
    expect(message.actionCard.btns.map((button) => clickedAction(button.actionURL))).toEqual([
      { actionId: "order.confirm", value: { id: "O-20261126-001" } },
      { actionId: "order.cancel", value: { id: "O-20261126-001" } },
    ]);
  });

  it("keeps five buttons and turns the rest into links in the text", () => {
    const buttons: CardButton[] = Array.from({ length: 7 }, (_, i) => ({ label: `B${i}`, action: `a.${i}` }));
    const message = renderRobotMessage({ type: "card", card: { title: "t", tone: "neutral", buttons } });
    if (message.msgtype !== "actionCard") throw new Error(message.msgtype);
    expect(message.actionCard.btns).toHaveLength(5);
    expect(message.actionCard.text).toContain("[B5](dtmd://dingtalkclient/sendMessage?content=");
    expect(message.actionCard.text).toContain("[B6](");
  });

  it("lists form inputs, which a chat message cannot collect", () => {
    const card: Card = {
      title: "新订单",
      tone: "info",
      form: {
        action: "order.create",
        submitLabel: "提交",
        inputs: [
          { name: "customer", label: "客户", type: "text", required: true, placeholder: "ACME" },
          {
            name: "model",
            label: "型号",
            type: "select",
            options: [
              { value: "x1", label: "X1" },
              { value: "x2", label: "X2" },
            ],
          },
        ],
      },
    };
    const message = renderRobotMessage({ type: "card", card });
    if (message.msgtype !== "markdown") throw new Error(message.msgtype);
    expect(message.markdown.text).toContain("- **客户**: required, ACME");
    expect(message.markdown.text).toContain("- **型号**: X1 / X2");
  });

  it("truncates a huge card so that its msgParam stays under 15 000 bytes", () => {
    const card: Card = {
      title: "订单列表",
      tone: "neutral",
      markdown: markup("订单 O-20261126-001 逾期\n".repeat(2000)),
    };
    const { msgParam } = toRobotApiParams(renderRobotMessage({ type: "card", card }));
    expect(new TextEncoder().encode(msgParam).length).toBeLessThan(15_000);
    expect(msgParam).toContain("…");
  });
});

describe("toRobotApiParams (groupMessages/send, oToMessages/batchSend)", () => {
  it("maps text and markdown to sampleText / sampleMarkdown with msgParam as a JSON string", () => {
    expect(toRobotApiParams({ msgtype: "text", text: { content: "hi" } })).toEqual({
      msgKey: "sampleText",
      msgParam: '{"content":"hi"}',
    });
    expect(toRobotApiParams({ msgtype: "markdown", markdown: { title: "t", text: "**x**" } })).toEqual({
      msgKey: "sampleMarkdown",
      msgParam: '{"title":"t","text":"**x**"}',
    });
  });

  it("maps one button to sampleActionCard and n buttons to sampleActionCardN", () => {
    const btn = (i: number) => ({ title: `T${i}`, actionURL: `dtmd://x?content=${i}` });
    const single = toRobotApiParams({
      msgtype: "actionCard",
      actionCard: { title: "t", text: "x", btnOrientation: "0", btns: [btn(1)] },
    });
    expect(single.msgKey).toBe("sampleActionCard");
    expect(JSON.parse(single.msgParam)).toEqual({
      title: "t",
      text: "x",
      singleTitle: "T1",
      singleURL: "dtmd://x?content=1",
    });
    const three = toRobotApiParams({
      msgtype: "actionCard",
      actionCard: { title: "t", text: "x", btnOrientation: "0", btns: [btn(1), btn(2), btn(3)] },
    });
    expect(three.msgKey).toBe("sampleActionCard3");
    expect(JSON.parse(three.msgParam)).toMatchObject({
      actionTitle3: "T3",
      actionURL3: "dtmd://x?content=3",
    });
  });
});

describe("renderCardParams (card template)", () => {
  it("fills every template variable with a string", () => {
    const params = renderCardParams(confirmCard);
    expect(params).not.toBeNull();
    expect(Object.values(params ?? {}).every((value) => typeof value === "string")).toBe(true);
    expect(params).toMatchObject({
      title: confirmCard.title,
      tone: "warning",
      note: "王伟 10:02",
      form: "",
    });
    expect(params?.content).toContain("**客户**: ACME");
    expect(JSON.parse(params?.buttons ?? "")).toEqual([
      { text: "确认", style: "primary", action: "order.confirm", value: '{"id":"O-20261126-001"}' },
      { text: "取消", style: "danger", action: "order.cancel", value: '{"id":"O-20261126-001"}' },
    ]);
  });

  it("passes a form as JSON for the template to draw", () => {
    const params = renderCardParams({
      title: "巡检",
      tone: "info",
      form: {
        action: "inspect.submit",
        value: { area: "A1" },
        submitLabel: "提交",
        inputs: [{ name: "temp", label: "温度", type: "number", required: true }],
      },
    });
    expect(JSON.parse(params?.form ?? "")).toEqual({
      action: "inspect.submit",
      value: '{"area":"A1"}',
      submitLabel: "提交",
      inputs: [{ name: "temp", label: "温度", type: "number", required: true }],
    });
  });

  it("returns null instead of truncating when a value exceeds DingTalk's 1 KB limit", () => {
    expect(
      renderCardParams({ title: "t", tone: "neutral", markdown: markup("逾期".repeat(200)) }),
    ).toBeNull();
    expect(
      renderCardParams({ title: "t", tone: "neutral", markdown: markup("逾期".repeat(150)) }),
    ).not.toBeNull();
  });
});

describe("renderCardCallbackAnswer", () => {
  it("updates the public data by key and shows the toast to the clicking user only", () => {
    const answer = renderCardCallbackAnswer({
      card: { ...confirmCard, buttons: [], note: "已确认" },
      toast: { kind: "success", text: "已确认" },
    });
    expect(answer).toMatchObject({
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
      cardData: { cardParamMap: { note: "已确认", buttons: "[]" } },
      userPrivateData: { cardParamMap: { toast: "已确认" } },
    });
  });

  it("is null when the new card does not fit the template", () => {
    expect(
      renderCardCallbackAnswer({ card: { title: "t", tone: "info", markdown: markup("x".repeat(2000)) } }),
    ).toBeNull();
  });
});
