// Test-only commands shaped like the DESIGN command table: real names and argument specs, echo handlers.
import { arg, createRegistry, defineAction, defineCommand, helpCard } from "../../../src/bot/index.ts";
import { ROLE_NAMES_ZH } from "../../../src/bot/role-words.ts";

const ORDERS = { zh: "订单", en: "Orders" };
const COMPLAINTS = { zh: "投诉", en: "Complaints" };
const OPERATIONS = { zh: "巡检与指标", en: "Inspections and KPIs" };
const SETTINGS = { zh: "设置", en: "Settings" };

const customer = arg.text({ label: { zh: "客户", en: "customer" } });
const orderNo = arg.text({
  label: { zh: "订单号", en: "order number" },
  pattern: /^O-\d{8}-\d{3}$/,
  example: "O-20261126-001",
});
const complaintNo = arg.text({
  label: { zh: "投诉号", en: "complaint number" },
  pattern: /^C-\d{8}-\d{3}$/,
  example: "C-20261126-001",
});
const listFilter = arg.enum({
  label: { zh: "范围", en: "filter" },
  choices: { open: "未完成", overdue: "逾期", mine: "我的" },
  default: "open",
});
const topic = arg.enum({ label: { zh: "主题", en: "topic" }, choices: { digest: "日报", alerts: "告警" } });

/** Handlers answer with their id and arguments, so tests see exactly what the parser produced. */
const echo =
  (id: string) =>
  ({ args }: { args: unknown }) =>
    ({ type: "text", text: `${id} ${JSON.stringify(args)}` }) as const;

const helpCommand = defineCommand({
  id: "help",
  names: { en: ["help"], zh: ["帮助"] },
  description: { zh: "列出全部命令, 或查看一个命令的用法", en: "List the commands, or show how to use one" },
  example: "下单",
  args: { command: arg.rest({ label: { zh: "命令", en: "command" }, optional: true }) },
  handler: ({ args, language, registry, reply }) => reply.card(helpCard(registry, language, args.command)),
});

export const orderNew = defineCommand({
  id: "order.new",
  group: ORDERS,
  names: { en: ["order new"], zh: ["下单"] },
  description: { zh: "检查订单并发出确认卡片", en: "Check an order and show a confirmation card" },
  example: "华为 X1 100 2026-12-01",
  args: {
    customer,
    model: arg.text({ label: { zh: "型号", en: "model" } }),
    qty: arg.integer({ label: { zh: "数量", en: "quantity" }, min: 1 }),
    due: arg.date({ label: { zh: "交期", en: "due date" } }),
  },
  withoutArgs: ({ reply }) =>
    reply.card({
      title: "order form",
      tone: "info",
      form: { action: "order.submit", submitLabel: "OK", inputs: [] },
    }),
  handler: echo("order.new"),
});

export const commands = [
  helpCommand,
  orderNew,
  defineCommand({
    id: "order.list",
    group: ORDERS,
    names: { en: ["order list"], zh: ["订单"] },
    description: { zh: "查看订单", en: "List orders" },
    example: "overdue",
    args: { filter: listFilter },
    handler: echo("order.list"),
  }),
  defineCommand({
    id: "order.done",
    group: ORDERS,
    names: { en: ["order done"], zh: ["完成"] },
    description: { zh: "把订单标记为已完成", en: "Mark an order completed" },
    example: "O-20261126-001",
    args: { orderNo },
    handler: echo("order.done"),
  }),
  defineCommand({
    id: "order.delay",
    group: ORDERS,
    names: { en: ["order delay"], zh: ["延期"] },
    description: { zh: "修改交期并记录原因", en: "Move the due date and record why" },
    example: "O-20261126-001 2026-12-08 客户要求推迟",
    args: {
      orderNo,
      newDue: arg.date({ label: { zh: "新交期", en: "new due date" } }),
      reason: arg.rest({ label: { zh: "原因", en: "reason" } }),
    },
    handler: echo("order.delay"),
  }),
  defineCommand({
    id: "complaint.new",
    group: COMPLAINTS,
    names: { en: ["complaint new"], zh: ["投诉"] },
    description: { zh: "登记客户投诉", en: "Open a complaint" },
    example: "华为 包装破损",
    args: { customer, text: arg.rest({ label: { zh: "内容", en: "text" } }) },
    handler: echo("complaint.new"),
  }),
  defineCommand({
    id: "complaint.list",
    group: COMPLAINTS,
    names: { en: ["complaint list"], zh: ["投诉列表"] },
    description: { zh: "查看投诉", en: "List complaints" },
    example: "mine",
    args: { filter: listFilter },
    handler: echo("complaint.list"),
  }),
  defineCommand({
    id: "complaint.respond",
    group: COMPLAINTS,
    names: { en: ["complaint respond"], zh: ["回复"] },
    description: { zh: "记录首次回复", en: "Record the first response" },
    example: "C-20261126-001 已联系客户",
    args: { complaintNo, text: arg.rest({ label: { zh: "内容", en: "text" } }) },
    handler: echo("complaint.respond"),
  }),
  defineCommand({
    id: "complaint.resolve",
    group: COMPLAINTS,
    names: { en: ["complaint resolve"], zh: ["解决"] },
    description: { zh: "标记投诉已解决", en: "Resolve a complaint" },
    example: "C-20261126-001 已补发",
    args: { complaintNo, text: arg.rest({ label: { zh: "内容", en: "text" } }) },
    handler: echo("complaint.resolve"),
  }),
  defineCommand({
    id: "complaint.rate",
    group: COMPLAINTS,
    names: { en: ["complaint rate"], zh: ["评分"] },
    description: { zh: "记录客户满意度", en: "Record the customer's satisfaction score" },
    example: "C-20261126-001 5",
    args: { complaintNo, score: arg.integer({ label: { zh: "评分", en: "score" }, min: 1, max: 5 }) },
    handler: echo("complaint.rate"),
  }),
  defineCommand({
    id: "inspect",
    group: OPERATIONS,
    names: { en: ["inspect"], zh: ["巡检"] },
    description: { zh: "填写区域巡检表", en: "Fill in an area's checklist" },
    example: "仓库A",
    args: { area: arg.text({ label: { zh: "区域", en: "area" } }) },
    handler: echo("inspect"),
  }),
  defineCommand({
    id: "kpi",
    group: OPERATIONS,
    names: { en: ["kpi"], zh: ["指标", "日报"] },
    description: { zh: "查看指标汇总", en: "Show the KPI summary" },
    example: "week",
    args: {
      window: arg.enum({
        label: { zh: "时间段", en: "window" },
        choices: { today: "今天", week: "本周", month: "本月" },
        default: "today",
      }),
    },
    handler: echo("kpi"),
  }),
  defineCommand({
    id: "subscribe",
    group: SETTINGS,
    names: { en: ["subscribe"], zh: ["订阅"] },
    description: { zh: "为本群订阅日报或告警", en: "Subscribe this group to the digest or alerts" },
    example: "digest 09:00",
    roles: ["manager", "admin"],
    args: {
      topic,
      time: arg.text({
        label: { zh: "时间", en: "time" },
        pattern: /^\d{1,2}:\d{2}$/,
        example: "09:00",
        optional: true,
      }),
    },
    handler: echo("subscribe"),
  }),
  defineCommand({
    id: "unsubscribe",
    group: SETTINGS,
    names: { en: ["unsubscribe"], zh: ["退订"] },
    description: { zh: "取消本群的订阅", en: "Unsubscribe this group" },
    example: "alerts",
    roles: ["manager", "admin"],
    args: { topic },
    handler: echo("unsubscribe"),
  }),
  defineCommand({
    id: "role",
    group: SETTINGS,
    names: { en: ["role"], zh: ["角色"] },
    description: { zh: "授予或撤销角色", en: "Grant or revoke a role" },
    example: { zh: "授予 @Wang Wei 经理", en: "grant @Wang Wei manager" },
    roles: ["admin"],
    args: {
      change: arg.enum({ label: { zh: "操作", en: "change" }, choices: { grant: "授予", revoke: "撤销" } }),
      user: arg.user({ label: { zh: "用户", en: "user" } }),
      role: arg.enum({ label: { zh: "角色", en: "role" }, choices: ROLE_NAMES_ZH }),
    },
    handler: echo("role"),
  }),
];

export const orderConfirm = defineAction({
  id: "order.confirm",
  roles: ["cs", "manager"],
  handler: ({ id, toast }) => toast("success", `已确认 ${id}`, `Confirmed ${id}`),
});

export const registry = createRegistry({ commands, actions: [orderConfirm] });
