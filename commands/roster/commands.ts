// /roster (/排班): a post's need or its people for a day (managers and admins), or the day's roster (anyone).
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import type { Language } from "../../src/chat/language.ts";
import { localDateOf } from "../../src/domain/calendar/local-time.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { ROSTER_NEED_MAX, ROSTER_SPARE_PERCENT } from "../../src/domain/policy.ts";
import type { CommandDeps } from "../deps.ts";
import { leadingMentions } from "../mentioned-names.ts";
import { postLine } from "./text.ts";

/** Who may change the roster; anyone may read it. */
export const ROSTER_EDITORS: readonly Role[] = ["manager", "admin"];

const NEED = /^\d+$/;

export function createRosterCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { roster } = deps.services;

  async function dayText(day: string, language: Language): Promise<string> {
    const posts = await roster.of(day);
    const heading =
      language === "zh"
        ? `${day} 排班 (备员 ${ROSTER_SPARE_PERCENT}%)`
        : `Roster ${day} (${ROSTER_SPARE_PERCENT}% spare)`;
    if (posts.length === 0)
      return `${heading}\n${language === "zh" ? "这天还没有排班。" : "Nothing rostered for this day."}`;
    return [heading, ...posts.map((post) => postLine(post, language))].join("\n");
  }

  return {
    commands: [
      defineCommand({
        id: "roster",
        group: { zh: "排班", en: "Roster" },
        names: { en: ["roster"], zh: ["排班"] },
        description: {
          zh: `某天的排班; 经理和管理员可设岗位需要人数 (已排少于需要人数加 ${ROSTER_SPARE_PERCENT}% 向上取整即为短缺) 或安排人员 (@某人…)`,
          en: `a day's roster; managers and admins set a post's need (short when assigned < need plus ${ROSTER_SPARE_PERCENT}%, rounded up) or its people (@someone…)`,
        },
        example: { zh: "2026-10-12 包装 10", en: "2026-10-12 packing @Li @Wang" },
        args: {
          date: arg.date({ label: { zh: "日期", en: "date" }, optional: true }),
          post: arg.text({ label: { zh: "岗位", en: "post" }, optional: true }),
          change: arg.rest({ label: { zh: "需要人数或@人员", en: "need or @people" }, optional: true }),
        },
        async handler({ args, actor, event, reply }) {
          const day = args.date ?? localDateOf(deps.now(), deps.config.timezone);
          if (args.post === undefined) {
            const text = { zh: await dayText(day, "zh"), en: await dayText(day, "en") };
            return reply.text(text.zh, text.en);
          }
          if (!actor.roles.some((role) => ROSTER_EDITORS.includes(role)))
            throw new UserError(
              "只有经理或管理员可以修改排班",
              "only a manager or an admin may change the roster",
              { reason: "role", entityType: "command", entityId: "roster" },
            );
          const typed = (args.change ?? "").normalize("NFKC").trim();
          let post: Awaited<ReturnType<typeof roster.change>>;
          if (NEED.test(typed)) {
            const need = Number(typed);
            if (need > ROSTER_NEED_MAX)
              throw new UserError(
                `需要人数 ${typed} 超出范围 (0–${ROSTER_NEED_MAX})`,
                `the need ${typed} is out of range (0–${ROSTER_NEED_MAX})`,
              );
            post = await roster.change(actor, day, args.post, { need });
          } else {
            const { names, rest } = leadingMentions(args.change ?? "", event.mentions);
            if (names.length === 0 || rest !== "")
              throw new UserError(
                `请写需要人数 (如 10) 或 @要安排的人: ${typed || "(空)"}`,
                `write the number of people needed (e.g. 10) or @ the people assigned: ${typed || "(nothing)"}`,
              );
            post = await roster.change(actor, day, args.post, { assigned: [...new Set(names)] });
          }
          return reply.text(
            `已更新 ${day} 排班:\n${postLine(post, "zh")}`,
            `Roster ${day} updated:\n${postLine(post, "en")}`,
          );
        },
      }),
    ],
    actions: [],
  };
}
