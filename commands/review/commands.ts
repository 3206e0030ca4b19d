// "Record action" on the monthly review pack: the pack again, with the commands that record the review meeting
// and its actions, prefilled (the minutes and actions are the meeting's: /meeting new review …).
import { type Action, type Command, defineAction, UserError } from "../../src/bot/index.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";
import { MEETING_SUGGESTED_TIME } from "../../src/domain/policy.ts";
import type { CommandDeps } from "../deps.ts";
import { schedulingHint } from "../meetings/cards.ts";
import { REVIEW_ACTIONS, reviewPackCard } from "./cards.ts";

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function createReviewCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { kpi, review } = deps.services;
  const { timezone } = deps.config;
  return {
    commands: [],
    actions: [
      defineAction({
        id: REVIEW_ACTIONS.recordAction,
        handler: async ({ id, language, t }) => {
          if (!id || !MONTH.test(id))
            throw new UserError("找不到这份评审材料", "no such review pack", {
              reason: "unknown_entity",
              entityType: "review",
              entityId: id ?? "",
            });
          const now = deps.now();
          const calendar = createWorkingCalendar({ timezone, overrides: await kpi.calendarOverrides() });
          const { day } = calendar.nextWorkingDay(localDateOf(now, timezone));
          const prefilled = {
            zh: `/会议 新建 评审 ${day} ${MEETING_SUGGESTED_TIME}`,
            en: `/meeting new review ${day} ${MEETING_SUGGESTED_TIME}`,
          };
          const pack = await review.pack({ month: id, now, timezone, calendar });
          return {
            card: reviewPackCard(pack, language, schedulingHint(prefilled)),
            toast: {
              kind: "info" as const,
              text: t(
                `发送 ${prefilled.zh} @参会人, 会后用 /会议 纪要 和 /会议 行动 记录`,
                `Send ${prefilled.en} @attendees, then /meeting minutes and /meeting action`,
              ),
            },
          };
        },
      }),
    ],
  };
}
