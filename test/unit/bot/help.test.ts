import { describe, expect, it } from "vitest";
import { commandHelpCard, createRouter, helpCard } from "../../../src/bot/index.ts";
import type { InboundMessage } from "../../../src/chat/events.ts";
import { markup, md } from "../../../src/chat/rich-text.ts";
import { hasAnyRole } from "../../../src/domain/people/role.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import { commands, orderNew, registry } from "./fixture-registry.ts";

const tester = {
  roles: [],
  personId: 1,
  name: "Test",
  platform: "lark" as const,
  platformMessageId: "om_test",
  at: new Date("2026-11-26T02:00:00Z"),
};

describe("/help list", () => {
  it.each(["zh", "en"] as const)("lists every command by its names in both languages (%s)", (language) => {
    const card = helpCard(registry, language);
    expect(card.title).toBe(language === "zh" ? "命令列表" : "Commands");
    for (const command of commands) {
      expect(sourceOf(card.markdown)).toContain(`/${command.names.zh[0]}`);
      expect(sourceOf(card.markdown)).toContain(`/${command.names.en[0]}`);
      expect(sourceOf(card.markdown)).toContain(command.description[language]);
    }
  });

  it("groups commands under their headings, ungrouped ones last, and marks restricted ones", () => {
    const lines = sourceOf(helpCard(registry, "zh").markdown).split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "**订单**",
      "**/下单 · /order new** — 检查订单并发出确认卡片",
      "**/订单 · /order list** — 查看订单",
      "**/完成 · /order done** — 把订单标记为已完成",
      "**/延期 · /order delay** — 修改交期并记录原因",
    ]);
    expect(lines).toContain("**/指标 · /日报 · /kpi** — 查看指标汇总");
    expect(lines).toContain("**/订阅 · /subscribe** — 为本群订阅日报或告警 (经理 或 管理员)");
    expect(lines.slice(-2)).toEqual(["**其他**", "**/帮助 · /help** — 列出全部命令, 或查看一个命令的用法"]);
  });

  it("says how to get one command's help", () => {
    expect(helpCard(registry, "en").note).toBe("Send /help <command> for its usage and an example");
  });
});

describe("/help <command>", () => {
  it("shows usage, arguments, example and roles in Chinese", () => {
    expect(commandHelpCard(orderNew, "zh")).toEqual({
      title: "/下单 · /order new",
      tone: "info",
      markdown: markup("检查订单并发出确认卡片"),
      fields: [
        { label: "用法", value: "/下单 <客户> <型号> <数量> <交期>" },
        { label: "参数", value: "客户: 文字\n型号: 文字\n数量: 正整数\n交期: 日期 YYYY-MM-DD" },
        { label: "示例", value: "/下单 华为 X1 100 2026-12-01" },
        { label: "权限", value: "所有人" },
      ],
    });
  });

  it("shows the same in English, with the role needed", () => {
    const subscribe = registry.command("subscribe");
    if (!subscribe) throw new Error("no subscribe");
    expect(commandHelpCard(subscribe, "en").fields).toEqual([
      { label: "Usage", value: "/subscribe <digest|alerts> [time]" },
      { label: "Arguments", value: "topic: one of digest or alerts\ntime: text (09:00), optional" },
      { label: "Example", value: "/subscribe digest 09:00" },
      { label: "Who may use it", value: "manager or admin" },
    ]);
  });

  it.each(["order new", "/order new", "ORDER NEW", "下单", "／下单"])(
    "finds the command named %s",
    (topic) => {
      expect(helpCard(registry, "en", topic).title).toBe("/order new · /下单");
    },
  );

  it("suggests names for an unknown topic", () => {
    expect(helpCard(registry, "zh", "投述")).toEqual({
      title: "没有这个命令",
      tone: "warning",
      markdown: md`${"未知命令: /投述 — 你是不是想用 /投诉? 发送 /帮助 查看全部命令"}`,
    });
  });
});

describe("/help through the router", () => {
  const router = createRouter({ registry, authorize: hasAnyRole });
  const message = (text: string): InboundMessage => ({
    kind: "message",
    platform: "lark",
    dedupKey: "lark:msg:1",
    chat: { id: "oc_1", kind: "group" },
    sender: { id: "ou_1" },
    text,
    mentions: [],
    messageId: "om_1",
    reply: {},
  });

  it("answers /帮助 with the Chinese list card and /help order list with that command's card", async () => {
    const list = await router.handle(message("/帮助"), tester);
    expect(list.reply).toEqual({ type: "card", card: helpCard(registry, "zh") });
    const one = await router.handle(message("/help order list"), tester);
    expect(one.reply).toMatchObject({ type: "card", card: { title: "/order list · /订单" } });
  });
});
