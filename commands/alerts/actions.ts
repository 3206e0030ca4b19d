// The alert card's buttons: Ack, Snooze 1 h, Snooze to tomorrow and Escalate (alerts come from the overdue sweep).
import { type Action, type Command, defineAction, UserError } from "../../src/bot/index.ts";
import type { ActionResult } from "../../src/chat/card.ts";
import type { InboundAction } from "../../src/chat/events.ts";
import type { Language } from "../../src/chat/language.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { type AlertChange, AlertRefused } from "../../src/domain/alerts/changes.ts";
import type { AlertRow } from "../../src/domain/alerts/store.ts";
import { alertTiming } from "../../src/domain/alerts/timing.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import { formatLocalTime } from "../../src/domain/orders/local-format.ts";
import type { CommandDeps } from "../deps.ts";
import { ALERT_ACTIONS, alertCard, alertNotice } from "./cards.ts";

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
      const text =
        refusal.kind === "already_acked" && refusal.alert.ackedAt
          ? t(
              `已于 ${at(refusal.alert.ackedAt)} 确认过`,
              `already acknowledged at ${at(refusal.alert.ackedAt)}`,
            )
          : refusal.kind === "already_escalated"
            ? t("已经升级给经理了", "already escalated to the managers")
            : t("这条告警已结束", "this alert is closed");
      return { card, toast: { kind: "info", text } };
    }
  }

  const actions = [
    defineAction({
      id: ALERT_ACTIONS.ack,
      handler: async ({ id, event, actor, language }) => {
        const alert = await clickedAlert(id, event);
        return answer(
          alerts.ack(alert.id, actor),
          language,
          { zh: "已确认, 不再提醒", en: "Acknowledged: no more reminders" },
          actor,
        );
      },
    }),
    defineAction({
      id: ALERT_ACTIONS.snoozeHour,
      handler: async ({ id, event, actor, language }) => {
        const alert = await clickedAlert(id, event);
        const timing = await timingNow();
        const until = timing.snoozeHour(deps.now(), alert.safety);
        const when = at(until);
        return answer(
          alerts.snooze(alert.id, actor, until, timing),
          language,
          { zh: `将于 ${when} 再提醒`, en: `Reminding again at ${when}` },
          actor,
        );
      },
    }),
    defineAction({
      id: ALERT_ACTIONS.snoozeTomorrow,
      handler: async ({ id, event, actor, language }) => {
        const alert = await clickedAlert(id, event);
        const timing = await timingNow();
        const until = timing.snoozeTomorrow(deps.now());
        const when = at(until);
        return answer(
          alerts.snooze(alert.id, actor, until, timing),
          language,
          { zh: `将于 ${when} 再提醒`, en: `Reminding again at ${when}` },
          actor,
        );
      },
    }),
    defineAction({
      id: ALERT_ACTIONS.escalate,
      handler: async ({ id, event, actor, language }) => {
        const alert = await clickedAlert(id, event);
        const timing = await timingNow();
        const escalated = alerts.escalate(alert.id, actor, timing).then(async (change) => {
          if (change.escalationId !== undefined) {
            await alerts.sendDueNotices({ timezone, timing, draw: alertNotice }, deps.now(), [
              change.escalationId,
            ]);
          }
          return change;
        });
        return answer(escalated, language, { zh: "已升级给经理", en: "Escalated to the managers" }, actor);
      },
    }),
  ];

  return { commands: [], actions };
}
