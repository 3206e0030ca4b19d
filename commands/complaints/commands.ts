// /complaint new|list|respond|resolve|rate (/投诉 …) and the complaint card's Take / Respond / Resolve buttons.
import {
  type Action,
  arg,
  type Command,
  defineAction,
  defineCommand,
  UserError,
} from "../../src/bot/index.ts";
import type { ActionResult } from "../../src/chat/card.ts";
import type { InboundAction } from "../../src/chat/events.ts";
import type { Language } from "../../src/chat/language.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { ComplaintRefused } from "../../src/domain/complaints/refusal.ts";
import type { Complaint } from "../../src/domain/complaints/store.ts";
import type { Role } from "../../src/domain/people/role.ts";
import type { CommandDeps } from "../deps.ts";
import {
  type CardClock,
  COMPLAINT_ACTIONS,
  COMPLAINT_TEXT_INPUT,
  complaintCard,
  complaintFormCard,
  complaintListCard,
  type FormKind,
  refusalText,
} from "./cards.ts";

const COMPLAINTS = { zh: "投诉", en: "Complaints" };

/** Who handles complaints: take, respond, resolve and record the customer's score. */
const HANDLERS: readonly Role[] = ["cs", "manager", "admin"];

const complaintNo = arg.text({
  label: { zh: "投诉号", en: "complaint number" },
  pattern: /^[Cc]-\d{8}-\d{3,}$/,
  example: "C-20261126-001",
});
const text = arg.rest({ label: { zh: "内容", en: "text" } });

export function createComplaintCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { complaints } = deps.services;
  const { timezone } = deps.config;
  const clockFor = (language: Language): CardClock => ({ language, now: deps.now(), timezone });

  /** Runs a domain change; a refusal becomes the user's reply (the router picks its language). */
  async function explained<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ComplaintRefused)) throw error;
      const words = (lang: Language) => refusalText(error.refusal, clockFor(lang));
      throw new UserError(words("zh"), words("en"), undefined, { cause: error });
    }
  }

  /** Respond and resolve: record the typed text on the complaint and show its card. */
  async function recordText(
    change: typeof complaints.respond | typeof complaints.resolve,
    args: { complaintNo: string; text: string },
    actor: Actor,
    language: Language,
  ) {
    const { after } = await explained(() => change(actor, args.complaintNo.toUpperCase(), args.text));
    return complaintCard(after, clockFor(language));
  }

  const commands = [
    defineCommand({
      id: "complaint.new",
      group: COMPLAINTS,
      names: { en: ["complaint new"], zh: ["投诉"] },
      description: {
        zh: "登记客户投诉: 24 小时内首次回复, 3 个工作日内解决",
        en: "open a complaint: first response within 24 h, resolved within 3 working days",
      },
      example: { zh: "华为 包装破损, 两箱受潮", en: "Huawei two boxes arrived wet" },
      args: { customer: arg.text({ label: { zh: "客户", en: "customer" } }), text },
      handler: async ({ args, event, actor, language, reply }) => {
        const complaint = await complaints.open(actor, {
          customer: args.customer,
          description: args.text,
          chatId: event.chat.id,
          timezone,
        });
        return reply.card(complaintCard(complaint, clockFor(language)));
      },
    }),
    defineCommand({
      id: "complaint.list",
      group: COMPLAINTS,
      names: { en: ["complaint list"], zh: ["投诉列表"] },
      description: {
        zh: "查看投诉: 未解决、已超时或我的 (我负责或我登记的); 客服、经理和管理员看到所有会话的, 其他人只看到本会话的",
        en: "list complaints: open, overdue, or mine (owned or opened by me); customer service, managers and admins see every chat's, others this chat's",
      },
      example: { zh: "已超时", en: "overdue" },
      args: {
        filter: arg.enum({
          label: { zh: "范围", en: "filter" },
          choices: { open: "未解决", overdue: "已超时", mine: "我的" },
          default: "open",
        }),
      },
      handler: async ({ args, event, actor, language, reply }) => {
        // Complaints name customers and what went wrong: a chat sees its own, the handlers see them all.
        const everyChat = actor.roles.some((role) => HANDLERS.includes(role));
        const list = await complaints.list({
          filter: args.filter,
          personId: actor.personId,
          now: deps.now(),
          ...(everyChat ? {} : { chat: { platform: event.platform, chatId: event.chat.id } }),
        });
        return reply.card(complaintListCard(list, args.filter, clockFor(language)));
      },
    }),
    defineCommand({
      id: "complaint.respond",
      group: COMPLAINTS,
      names: { en: ["complaint respond"], zh: ["回复"] },
      description: {
        zh: "记录首次回复 (停止 24 小时计时); 每个投诉只记录一次",
        en: "record the first response (stops the 24 h clock); once per complaint",
      },
      example: {
        zh: "C-20261126-001 已致电客户, 明天补发",
        en: "C-20261126-001 called the customer, resending tomorrow",
      },
      roles: HANDLERS,
      args: { complaintNo, text },
      handler: ({ args, actor, language, reply }) =>
        recordText(complaints.respond, args, actor, language).then(reply.card),
    }),
    defineCommand({
      id: "complaint.resolve",
      group: COMPLAINTS,
      names: { en: ["complaint resolve"], zh: ["解决"] },
      description: {
        zh: "标记投诉已解决 (停止 3 个工作日计时); 未回复的同时记为首次回复",
        en: "resolve a complaint (stops the 3-working-day clock); also the first response if there was none",
      },
      example: { zh: "C-20261126-001 已补发两箱", en: "C-20261126-001 two boxes resent" },
      roles: HANDLERS,
      args: { complaintNo, text },
      handler: ({ args, actor, language, reply }) =>
        recordText(complaints.resolve, args, actor, language).then(reply.card),
    }),
    defineCommand({
      id: "complaint.rate",
      group: COMPLAINTS,
      names: { en: ["complaint rate"], zh: ["评分"] },
      description: {
        zh: "记录已解决投诉的客户满意度 1–5 (4、5 为满意); 再次评分会更正上次的分数",
        en: "record a resolved complaint's satisfaction score 1–5 (4–5 = satisfied); a new score corrects the last",
      },
      example: "C-20261126-001 5",
      roles: HANDLERS,
      args: { complaintNo, score: arg.integer({ label: { zh: "评分", en: "score" }, min: 1, max: 5 }) },
      handler: async ({ args, actor, language, reply, t }) => {
        const { before, after } = await explained(() =>
          complaints.rate(actor, args.complaintNo.toUpperCase(), args.score),
        );
        const card = complaintCard(after, clockFor(language));
        if (before.satisfaction === null || before.satisfaction === after.satisfaction)
          return reply.card(card);
        return reply.card({
          ...card,
          note: t(
            `评分已由 ${before.satisfaction} 更正为 ${after.satisfaction}`,
            `Score corrected from ${before.satisfaction} to ${after.satisfaction}`,
          ),
        });
      },
    }),
  ];

  /**
   * The complaint a click is about, reloaded: buttons carry only its number, and a card shown in one chat
   * acts only on a complaint of that chat. Anything else was not on a card of ours: a denial.
   */
  async function clickedComplaint(id: string | undefined, event: InboundAction): Promise<Complaint> {
    const complaint = id ? await complaints.find(id) : undefined;
    if (!complaint) {
      throw new UserError(`找不到投诉 ${id ?? ""}`, `no complaint ${id ?? ""}`, {
        reason: "unknown_entity",
        entityType: "complaint",
        entityId: id ?? "",
      });
    }
    if (complaint.platform !== event.platform || complaint.chatId !== event.chat.id) {
      throw new UserError(
        `投诉 ${complaint.number} 不属于这个会话, 请在登记它的群里操作或使用命令`,
        `complaint ${complaint.number} belongs to another chat; act on it there or use the command`,
        { reason: "other_chat", entityType: "complaint", entityId: complaint.number },
      );
    }
    return complaint;
  }

  /** A refused click: say why, and redraw the card as it now stands (its stale buttons go away). */
  async function refusedClick(language: Language, error: unknown): Promise<ActionResult> {
    if (!(error instanceof ComplaintRefused)) throw error;
    const clock = clockFor(language);
    const toast = { kind: "warning" as const, text: refusalText(error.refusal, clock) };
    const current = "complaint" in error.refusal ? error.refusal.complaint : undefined;
    return current ? { toast, card: complaintCard(current, clock) } : { toast };
  }

  const openForm = (kind: FormKind) =>
    defineAction({
      id: kind === "respond" ? COMPLAINT_ACTIONS.respond : COMPLAINT_ACTIONS.resolve,
      roles: HANDLERS,
      handler: async ({ id, event, language, t }) => {
        const complaint = await clickedComplaint(id, event);
        const clock = clockFor(language);
        if (complaint.status === "resolved" || (kind === "respond" && complaint.status !== "open")) {
          const refusal = complaint.status === "resolved" ? "already_resolved" : "already_responded";
          return refusedClick(language, new ComplaintRefused({ kind: refusal, complaint }));
        }
        return {
          card: complaintFormCard(complaint, kind, clock),
          toast: { kind: "info", text: t("请填写后提交", "Fill in the text and submit") },
        };
      },
    });

  const submitForm = (kind: FormKind) =>
    defineAction({
      id: kind === "respond" ? COMPLAINT_ACTIONS.respondSubmit : COMPLAINT_ACTIONS.resolveSubmit,
      roles: HANDLERS,
      handler: async ({ id, event, form, language, actor, t }) => {
        const complaint = await clickedComplaint(id, event);
        const typed = (form[COMPLAINT_TEXT_INPUT] ?? "").trim();
        if (typed === "") {
          throw new UserError(
            kind === "respond" ? "请填写回复内容" : "请填写解决方案",
            kind === "respond" ? "please enter the response" : "please enter the resolution",
          );
        }
        const record = kind === "respond" ? complaints.respond : complaints.resolve;
        try {
          const { after } = await record(actor, complaint.number, typed);
          return {
            card: complaintCard(after, clockFor(language)),
            toast: {
              kind: "success",
              text:
                kind === "respond" ? t("已记录首次回复", "First response recorded") : t("已解决", "Resolved"),
            },
          };
        } catch (error) {
          return refusedClick(language, error);
        }
      },
    });

  const actions = [
    defineAction({
      id: COMPLAINT_ACTIONS.take,
      roles: HANDLERS,
      handler: async ({ id, event, language, actor, t }) => {
        const complaint = await clickedComplaint(id, event);
        try {
          const { after } = await complaints.take(actor, complaint.number);
          return {
            card: complaintCard(after, clockFor(language)),
            toast: { kind: "success", text: t(`已认领 ${after.number}`, `You took ${after.number}`) },
          };
        } catch (error) {
          return refusedClick(language, error);
        }
      },
    }),
    openForm("respond"),
    openForm("resolve"),
    submitForm("respond"),
    submitForm("resolve"),
    defineAction({
      id: COMPLAINT_ACTIONS.view,
      handler: async ({ id, event, language }) => ({
        card: complaintCard(await clickedComplaint(id, event), clockFor(language)),
      }),
    }),
  ];

  return { commands, actions };
}
