import { describe, expect, it } from "vitest";
import {
  arg,
  createRegistry,
  createRouter,
  defineAction,
  defineCommand,
  UserError,
} from "../../../src/bot/index.ts";
import type { InboundAction, InboundMessage, Person } from "../../../src/chat/events.ts";
import { type Authorize, hasAnyRole, type Role } from "../../../src/domain/people/role.ts";
import { commands, orderConfirm } from "./fixture-registry.ts";

function message(text: string, mentions: Person[] = []): InboundMessage {
  return {
    kind: "message",
    platform: "lark",
    dedupKey: "lark:msg:1",
    chat: { id: "oc_1", kind: "group" },
    sender: { id: "ou_sender", name: "Sender" },
    text,
    mentions,
    messageId: "om_1",
    reply: { messageId: "om_1" },
  };
}

function click(actionId: string, value: Record<string, string> = {}): InboundAction {
  return {
    kind: "action",
    platform: "lark",
    dedupKey: "lark:card:1",
    actionId,
    value,
    form: {},
    operator: { id: "ou_sender" },
    chat: { id: "oc_1", kind: "group" },
    message: { messageId: "om_card" },
  };
}

const as = (...roles: Role[]) => ({
  roles,
  personId: 1,
  name: "Test",
  platform: "lark" as const,
  platformMessageId: "om_test",
  at: new Date("2026-11-26T02:00:00Z"),
});

const failing = [
  defineCommand({
    id: "order.cancel",
    names: { en: ["order cancel"], zh: ["取消订单"] },
    description: { zh: "取消订单", en: "Cancel an order" },
    example: "O-20261126-001",
    args: { orderNo: arg.text({ label: { zh: "订单号", en: "order number" } }) },
    handler: ({ args }) => {
      throw new UserError(
        `订单 ${args.orderNo} 已完成, 不能取消`,
        `order ${args.orderNo} is completed and cannot be cancelled`,
      );
    },
  }),
  defineCommand({
    id: "boom",
    names: { en: ["boom"], zh: ["爆炸"] },
    description: { zh: "出错", en: "Fails" },
    example: "",
    handler: async () => {
      throw new Error("connection refused at db.internal:5432");
    },
  }),
];

const actions = [
  orderConfirm,
  defineAction({
    id: "order.reject",
    handler: () => {
      throw new UserError("订单已确认", "the order is already confirmed");
    },
  }),
  defineAction({
    id: "order.crash",
    handler: () => {
      throw new TypeError("undefined is not a function");
    },
  }),
];

const registry = createRegistry({ commands: [...commands, ...failing], actions });
const router = createRouter({ registry, authorize: hasAnyRole, newErrorId: () => "e1234567" });

describe("router: messages", () => {
  it("runs the command with typed arguments and returns its reply", async () => {
    const outcome = await router.handle(message("/下单 华为 X1 100 2026/12/01"), as());
    expect(outcome).toEqual({
      kind: "message",
      status: "ok",
      commandId: "order.new",
      reply: {
        type: "text",
        text: 'order.new {"customer":"华为","model":"X1","qty":100,"due":"2026-12-01"}',
      },
    });
  });

  it("passes the mentioned person, the event and the language to the handler", async () => {
    const seen: unknown[] = [];
    const probe = defineCommand({
      id: "probe",
      names: { en: ["probe"], zh: ["探测"] },
      description: { zh: "探测", en: "probe" },
      example: "",
      args: { who: arg.user({ label: { zh: "用户", en: "user" } }) },
      handler: ({ args, language, event, name, actor, reply }) => {
        seen.push(args.who, language, event.messageId, name, actor.roles);
        return reply.text("好", "ok");
      },
    });
    const probeRouter = createRouter({
      registry: createRegistry({ commands: [probe] }),
      authorize: hasAnyRole,
    });
    const wang = { id: "ou_wang", name: "Wang Wei" };
    const outcome = await probeRouter.handle(message("/探测 @Wang Wei", [wang]), as("qa"));
    expect(outcome.reply).toEqual({ type: "text", text: "好" });
    expect(seen).toEqual([wang, "zh", "om_1", "探测", ["qa"]]);
  });

  it("calls withoutArgs when the command comes alone", async () => {
    const outcome = await router.handle(message("/下单"), as());
    expect(outcome).toMatchObject({ status: "ok", reply: { type: "card", card: { title: "order form" } } });
  });

  it("answers a bad argument with the mistake and the usage", async () => {
    const outcome = await router.handle(message("/下单 华为 X1 abc 2026-12-01"), as());
    expect(outcome).toEqual({
      kind: "message",
      status: "invalid",
      commandId: "order.new",
      reply: { type: "text", text: "数量必须是正整数: abc — 用法: /下单 <客户> <型号> <数量> <交期>" },
    });
  });

  it("answers unknown commands and plain text, never silently", async () => {
    expect(await router.handle(message("/odrer list"), as())).toEqual({
      kind: "message",
      status: "invalid",
      reply: {
        type: "text",
        text: "unknown command: /odrer — did you mean /order list? Send /help for the list of commands",
      },
    });
    expect((await router.handle(message("你好"), as())).reply).toEqual({
      type: "text",
      text: "命令以 / 开头, 发送 /帮助 查看全部命令",
    });
  });
});

describe("router: roles", () => {
  it("refuses a command naming the roles needed, in Chinese", async () => {
    const outcome = await router.handle(message("/订阅 日报"), as("staff", "qa"));
    expect(outcome).toEqual({
      kind: "message",
      status: "refused",
      commandId: "subscribe",
      reply: { type: "text", text: "你没有权限使用 /订阅 — 需要角色: 经理 或 管理员" },
      denial: { reason: "role", entityType: "command", entityId: "subscribe" },
    });
  });

  it("refuses in English for an English name", async () => {
    const outcome = await router.handle(message("/subscribe digest"), as());
    expect(outcome.reply).toEqual({
      type: "text",
      text: "you may not use /subscribe — needs role: manager or admin",
    });
  });

  it("refuses before looking at the arguments", async () => {
    const outcome = await router.handle(message("/角色"), as("manager"));
    expect(outcome).toMatchObject({
      status: "refused",
      reply: { text: "你没有权限使用 /角色 — 需要角色: 管理员" },
    });
  });

  it("allows a caller holding one of the roles", async () => {
    expect(await router.handle(message("/订阅 日报"), as("manager"))).toMatchObject({ status: "ok" });
  });

  it("asks the injected authorize, with the caller's roles and the command's", async () => {
    const calls: [readonly Role[], readonly Role[]][] = [];
    const authorize: Authorize = (personRoles, required) => {
      calls.push([personRoles, required]);
      return personRoles.includes("admin");
    };
    const adminRouter = createRouter({ registry, authorize });
    expect(await adminRouter.handle(message("/订阅 日报"), as("admin"))).toMatchObject({ status: "ok" });
    expect(await adminRouter.handle(message("/订阅 日报"), as("manager"))).toMatchObject({
      status: "refused",
    });
    expect(calls).toEqual([
      [["admin"], ["manager", "admin"]],
      [["manager"], ["manager", "admin"]],
    ]);
  });

  it("does not ask for commands open to everyone", async () => {
    const never: Authorize = () => {
      throw new Error("authorize must not be called");
    };
    expect(await createRouter({ registry, authorize: never }).handle(message("/订单"), as())).toMatchObject({
      status: "ok",
    });
  });
});

describe("router: handler errors", () => {
  it("turns a UserError into a reply in the user's language", async () => {
    expect(await router.handle(message("/取消订单 O-20261126-001"), as())).toEqual({
      kind: "message",
      status: "declined",
      commandId: "order.cancel",
      reply: { type: "text", text: "订单 O-20261126-001 已完成, 不能取消" },
    });
    expect((await router.handle(message("/order cancel O-20261126-001"), as())).reply).toEqual({
      type: "text",
      text: "order O-20261126-001 is completed and cannot be cancelled",
    });
  });

  it("turns any other error into an apology with an error id, and hands the error to the caller", async () => {
    const outcome = await router.handle(message("/爆炸"), as());
    expect(outcome).toMatchObject({
      status: "failed",
      commandId: "boom",
      reply: { type: "text", text: "抱歉, 处理时出错了, 请稍后再试 (错误编号 e1234567)" },
      failure: { errorId: "e1234567", error: new Error("connection refused at db.internal:5432") },
    });
    expect(JSON.stringify(outcome.reply)).not.toContain("db.internal");
  });

  it("makes a fresh error id by default", async () => {
    const outcome = await createRouter({ registry, authorize: hasAnyRole }).handle(message("/boom"), as());
    expect(outcome.failure?.errorId).toMatch(/^[0-9a-f]{8}$/);
    expect(outcome.reply).toEqual({
      type: "text",
      text: `Sorry, something went wrong. Please try again later (error id ${outcome.failure?.errorId})`,
    });
  });
});

describe("router: card actions", () => {
  it("runs the action for a caller with the role", async () => {
    expect(await router.handle(click("order.confirm", { id: "O-20261126-001" }), as("cs"))).toEqual({
      kind: "action",
      actionId: "order.confirm",
      status: "ok",
      result: { toast: { kind: "success", text: "已确认 O-20261126-001" } },
    });
  });

  it("answers in the language the button carries", async () => {
    const outcome = await router.handle(click("order.confirm", { id: "O-1", lang: "en" }), as("manager"));
    expect(outcome.result).toEqual({ toast: { kind: "success", text: "Confirmed O-1" } });
  });

  it("refuses by the caller's roles, whatever the card carries", async () => {
    const outcome = await router.handle(
      click("order.confirm", { id: "O-1", role: "admin", roles: "admin" }),
      as("staff"),
    );
    expect(outcome).toEqual({
      kind: "action",
      actionId: "order.confirm",
      status: "refused",
      result: { toast: { kind: "error", text: "需要角色: 客服 或 经理" } },
      denial: { reason: "role", entityType: "action", entityId: "order.confirm" },
    });
    const english = await router.handle(click("order.confirm", { id: "O-1", lang: "en" }), as());
    expect(english.result).toEqual({ toast: { kind: "error", text: "needs role: cs or manager" } });
  });

  it("answers an unknown action id", async () => {
    expect(await router.handle(click("order.nope"), as("admin"))).toEqual({
      kind: "action",
      actionId: "order.nope",
      status: "unknown",
      result: { toast: { kind: "warning", text: "这个按钮已失效 (未知操作: order.nope)" } },
      denial: { reason: "unknown_action", entityType: "action", entityId: "order.nope" },
    });
  });

  it("refuses, with the denial, when the handler's UserError denies access", async () => {
    const denying = createRegistry({
      commands: [],
      actions: [
        defineAction({
          id: "order.peek",
          handler: () => {
            throw new UserError("订单属于另一个群", "the order belongs to another chat", {
              reason: "other_chat",
              entityType: "order",
              entityId: "O-1",
            });
          },
        }),
      ],
    });
    const outcome = await createRouter({ registry: denying, authorize: hasAnyRole }).handle(
      click("order.peek"),
      as("admin"),
    );
    expect(outcome).toEqual({
      kind: "action",
      actionId: "order.peek",
      status: "refused",
      result: { toast: { kind: "warning", text: "订单属于另一个群" } },
      denial: { reason: "other_chat", entityType: "order", entityId: "O-1" },
    });
  });

  it("turns a UserError into a warning toast and other errors into an error toast with an id", async () => {
    expect(await router.handle(click("order.reject"), as())).toMatchObject({
      status: "declined",
      result: { toast: { kind: "warning", text: "订单已确认" } },
    });
    expect(await router.handle(click("order.crash", { lang: "en" }), as())).toMatchObject({
      status: "failed",
      result: {
        toast: {
          kind: "error",
          text: "Sorry, something went wrong. Please try again later (error id e1234567)",
        },
      },
      failure: { errorId: "e1234567" },
    });
  });
});
