// The alert card's buttons (Ack, Snooze 1 h, Snooze to tomorrow, Escalate) and the commands that do the same by A- number.
import {
  type Action,
  arg,
  type Command,
  defineAction,
  defineCommand,
  UserError,
} from "../../src/bot/index.ts";
import type { ActionResult, OutboundMessage } from "../../src/chat/card.ts";
import type { InboundAction, InboundMessage } from "../../src/chat/events.ts";
import type { Language } from "../../src/chat/language.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { type AlertChange, type AlertRefusal, AlertRefused } from "../../src/domain/alerts/changes.ts";
import type { AlertRow } from "../../src/domain/alerts/store.ts";
import { alertTiming } from "../../src/domain/alerts/timing.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import { formatLocalTime } from "../../src/domain/orders/local-format.ts";
import type { CommandDeps } from "../deps.ts";
import { ALERT_ACTIONS, alertCard, alertNotice } from "./cards.ts";

const ALERTS = { zh: "告警", en: "Alerts" };

export function createAlertCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { alerts } = deps.services;
  const { timezone } = deps.config;
  const timingNow = async () => alertTiming(await alerts.calendar(timezone));
  const at = (instant: Date) => formatLocalTime(instant, timezone, localDateOf(deps.now(), timezone));

  /**
   * An alert is answered only from a chat one of its notices was sent to (a subscribed group, a manager's direct
   * chat), as the outbox records it: a click from anywhere else is refused (the button's value is never trusted).
   */
  async function clickedAlert(id: string | undefined, event: InboundAction): Promise<AlertRow> {
    const alert = /^\d+$/.test(id ?? "") ? await alerts.find(Number(id)) : undefined;
    if (!alert) {
      throw new UserError("找不到这条告警", "no such alert", {
        reason: "unknown_entity",
        entityType: "alert",
        entityId: id ?? "",
      });
    }
    if (!(await alerts.wasSentTo(alert, { platform: event.platform, chatId: event.chat.id }))) {
      throw new UserError(
        "这条告警没有发到这个会话, 不能在这里处理",
        "this alert was not sent to this chat",
        {
          reason: "other_chat",
          entityType: "alert",
          entityId: String(alert.id),
        },
      );
    }
    return alert;
  }

  /** The card as it now stands, or why nothing changed (with the card as the other person left it). */
  async function answer(
    change: Promise<AlertChange>,
    language: Language,
    done: { zh: string; en: string },
    actor: Actor,
  ): Promise<ActionResult> {
    const t = (zh: string, en: string) => (language === "zh" ? zh : en);
    try {
      const { alert } = await change;
      const names = { ackedByName: actor.name, snoozedByName: actor.name };
      return {
        card: alertCard(alert, { now: deps.now(), timezone, ...names }),
        toast: { kind: "success", text: t(done.zh, done.en) },
      };
    } catch (error) {
      if (!(error instanceof AlertRefused)) throw error;
      const { refusal } = error;
      if (refusal.kind === "not_found") throw new UserError("找不到这条告警", "no such alert");
      const card = alertCard(refusal.alert, { now: deps.now(), timezone });
      return { card, toast: { kind: "info", text: t(...refusalWords(refusal)) } };
    }
  }

  /** Why an ack, snooze or escalation of a found alert changed nothing. */
  function refusalWords(refusal: Exclude<AlertRefusal, { kind: "not_found" }>): [string, string] {
    if (refusal.kind === "already_acked" && refusal.alert.ackedAt)
      return [
        `已于 ${at(refusal.alert.ackedAt)} 确认过`,
        `already acknowledged at ${at(refusal.alert.ackedAt)}`,
      ];
    if (refusal.kind === "already_escalated")
      return ["已经升级给经理了", "already escalated to the managers"];
    return ["这条告警已结束", "this alert is closed"];
  }

  /** What the three changes do, shared by the buttons and the commands. */
  const changes = {
    ack: (alert: AlertRow, actor: Actor) => ({
      change: alerts.ack(alert.id, actor),
      done: { zh: "已确认, 不再提醒", en: "Acknowledged: no more reminders" },
    }),
    async snooze(alert: AlertRow, actor: Actor, to: "hour" | "tomorrow") {
      const timing = await timingNow();
      const until =
        to === "hour" ? timing.snoozeHour(deps.now(), alert.safety) : timing.snoozeTomorrow(deps.now());
      const when = at(until);
      return {
        change: alerts.snooze(alert.id, actor, until, timing),
        done: { zh: `将于 ${when} 再提醒`, en: `Reminding again at ${when}` },
      };
    },
    async escalate(alert: AlertRow, actor: Actor) {
      const timing = await timingNow();
      const change = alerts.escalate(alert.id, actor, timing).then(async (escalated) => {
        if (escalated.escalationId !== undefined) {
          await alerts.sendDueNotices({ timezone, timing, draw: alertNotice }, deps.now(), [
            escalated.escalationId,
          ]);
        }
        return escalated;
      });
      return { change, done: { zh: "已升级给经理", en: "Escalated to the managers" } };
    },
  };

  /**
   * The alert a command names. Commands come from any chat, so the where-rule of the buttons is widened only as
   * far as it is safe: a chat a notice went to, a direct chat of any account of the sender (a notice to their
   * Lark is answered from their DingTalk), or a manager or admin, who may answer any alert.
   */
  async function namedAlert(number: string, event: InboundMessage, actor: Actor): Promise<AlertRow> {
    const alert = await alerts.findByNumber(number.toUpperCase());
    if (!alert)
      throw new UserError(`找不到告警 ${number}`, `no alert ${number}`, {
        reason: "unknown_entity",
        entityType: "alert",
        entityId: number,
      });
    if (actor.roles.includes("admin") || actor.roles.includes("manager")) return alert;
    if (await alerts.wasSentTo(alert, { platform: event.platform, chatId: event.chat.id })) return alert;
    if (await alerts.wasSentToPerson(alert, actor.personId)) return alert;
    throw new UserError(
      `告警 ${number} 没有发到这个会话, 也没有发给你; 请在收到它的会话里处理, 或请经理处理`,
      `alert ${number} was not sent to this chat or to you; answer it where it was sent, or ask a manager`,
      { reason: "other_chat", entityType: "alert", entityId: String(alert.id) },
    );
  }

  /** A command's answer: the alert's card as it now stands, or why nothing changed. */
  async function commandAnswer(
    pending: { change: Promise<AlertChange>; done: { zh: string; en: string } },
    actor: Actor,
    t: (zh: string, en: string) => string,
  ): Promise<OutboundMessage> {
    try {
      const { alert } = await pending.change;
      const card = alertCard(alert, {
        now: deps.now(),
        timezone,
        ackedByName: actor.name,
        snoozedByName: actor.name,
      });
      return {
        type: "card",
        card: { ...card, note: `${t(pending.done.zh, pending.done.en)} · ${card.note ?? ""}` },
      };
    } catch (error) {
      if (!(error instanceof AlertRefused)) throw error;
      const { refusal } = error;
      if (refusal.kind === "not_found")
        throw new UserError("找不到这条告警", "no such alert", undefined, { cause: error });
      const [zh, en] = refusalWords(refusal);
      throw new UserError(
        `${refusal.alert.number ?? ""}: ${zh}`,
        `${refusal.alert.number ?? ""}: ${en}`,
        undefined,
        {
          cause: error,
        },
      );
    }
  }

  const number = arg.text({ label: { zh: "告警编号", en: "alert no." } });
  const commands = [
    defineCommand({
      id: "ack",
      group: ALERTS,
      names: { en: ["ack"], zh: ["确认"] },
      description: {
        zh: "确认告警 (同卡片上的“确认”按钮)",
        en: "acknowledge an alert (the card's Ack button)",
      },
      example: "A-20261126-001",
      args: { number },
      handler: async ({ args, event, actor, t }) =>
        commandAnswer(changes.ack(await namedAlert(args.number, event, actor), actor), actor, t),
    }),
    defineCommand({
      id: "snooze",
      group: ALERTS,
      names: { en: ["snooze"], zh: ["稍后"] },
      description: {
        zh: "推迟告警的下次提醒: 1h (1 小时后) 或 tomorrow (明天上班时)",
        en: "hold an alert's next notice: 1h, or tomorrow (the next working morning)",
      },
      example: { zh: "A-20261126-001 明天", en: "A-20261126-001 tomorrow" },
      args: {
        number,
        until: arg.enum({
          label: { zh: "推迟到", en: "until" },
          choices: { "1h": "1小时", tomorrow: "明天" },
        }),
      },
      handler: async ({ args, event, actor, t }) => {
        const alert = await namedAlert(args.number, event, actor);
        return commandAnswer(
          await changes.snooze(alert, actor, args.until === "1h" ? "hour" : "tomorrow"),
          actor,
          t,
        );
      },
    }),
    defineCommand({
      id: "escalate",
      group: ALERTS,
      names: { en: ["escalate"], zh: ["升级"] },
      description: { zh: "把告警立即升级给所有经理", en: "escalate an alert to every manager at once" },
      example: "A-20261126-001",
      args: { number },
      handler: async ({ args, event, actor, t }) =>
        commandAnswer(await changes.escalate(await namedAlert(args.number, event, actor), actor), actor, t),
    }),
  ];

  const actions = [
    defineAction({
      id: ALERT_ACTIONS.ack,
      handler: async ({ id, event, actor, language }) => {
        const { change, done } = changes.ack(await clickedAlert(id, event), actor);
        return answer(change, language, done, actor);
      },
    }),
    defineAction({
      id: ALERT_ACTIONS.snoozeHour,
      handler: async ({ id, event, actor, language }) => {
        const { change, done } = await changes.snooze(await clickedAlert(id, event), actor, "hour");
        return answer(change, language, done, actor);
      },
    }),
    defineAction({
      id: ALERT_ACTIONS.snoozeTomorrow,
      handler: async ({ id, event, actor, language }) => {
        const { change, done } = await changes.snooze(await clickedAlert(id, event), actor, "tomorrow");
        return answer(change, language, done, actor);
      },
    }),
    defineAction({
      id: ALERT_ACTIONS.escalate,
      handler: async ({ id, event, actor, language }) => {
        const { change, done } = await changes.escalate(await clickedAlert(id, event), actor);
        return answer(change, language, done, actor);
      },
    }),
  ];

  return { commands, actions };
}
