// /training log|list (/培训 …) and /practice (/练习): training records, and the sandbox practice order.
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import type { InboundMessage } from "../../src/chat/events.ts";
import { isLocalDate, localDateOf } from "../../src/domain/calendar/local-time.ts";
import { createWorkingCalendar } from "../../src/domain/calendar/working-calendar.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { PracticeRefused } from "../../src/domain/training/practice.ts";
import { type TrainingRecord, TrainingRefused } from "../../src/domain/training/records.ts";
import type { CommandDeps } from "../deps.ts";
import { accountNamed, leadingMentions } from "../mentioned-names.ts";
import { personMentioned } from "../mentioned-people.ts";
import { practiceQuestion, practiceScore, practiceVerdict } from "./text.ts";

/** Who logs training for others; anyone reads the records and practises. */
export const TRAINING_RECORDERS: readonly Role[] = ["manager", "admin"];

const TRAINING = { zh: "培训", en: "Training" };

const LOG_USAGE = {
  zh: "用法: /培训 记录 <课程…> <YYYY-MM-DD> @参加人…",
  en: "usage: /training log <course…> <YYYY-MM-DD> @people…",
};
const LOG_LINE = /^(.*?)\s+(\d{4}-\d{2}-\d{2})(?:\s+(.*))?$/su;

const bad = (zh: string, en: string): UserError =>
  new UserError(`${zh} — ${LOG_USAGE.zh}`, `${en} — ${LOG_USAGE.en}`);

function recordLine(record: TrainingRecord, zh: boolean): string {
  const practice = record.source === "practice";
  const course = practice ? (zh ? "练习单" : "practice order") : record.course;
  const score = record.score === null ? "" : zh ? ` · 得分 ${record.score}` : ` · score ${record.score}`;
  return `- ${record.day} ${record.personName} · ${course}${score}`;
}

export function createTrainingCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { training, people, kpi } = deps.services;
  const { timezone } = deps.config;

  /** The accounts "@a @b …" names, as persons (created on first mention). */
  async function peopleNamed(typed: string, event: InboundMessage, at: Date): Promise<number[]> {
    const { names, rest } = leadingMentions(typed, event.mentions);
    if (names.length === 0 || rest !== "")
      throw bad(
        `要 @ 参加培训的人: ${typed.trim() || "(空)"}`,
        `@ the people trained: ${typed.trim() || "(nothing)"}`,
      );
    const ids: number[] = [];
    for (const name of names) {
      const account = accountNamed(name, event.mentions);
      if (!account)
        throw bad(`无法识别 @${name}: 请写 @用户ID`, `cannot tell who @${name} is: write @userid`);
      const person = await personMentioned(people, account, event, at);
      ids.push(person.personId);
    }
    return ids;
  }

  const commands = [
    defineCommand({
      id: "training.log",
      group: TRAINING,
      names: { en: ["training log"], zh: ["培训 记录"] },
      description: {
        zh: "记录某天的培训和参加的人; 每人每季度至少一次",
        en: "record a course held on a day and who took it; everyone is trained every quarter",
      },
      example: { zh: "消防演练 2026-12-04 @王伟 @李娜", en: "fire drill 2026-12-04 @Wang @Li" },
      roles: TRAINING_RECORDERS,
      args: { details: arg.rest({ label: { zh: "课程 日期 @参加人", en: "course date @people" } }) },
      handler: async ({ args, event, actor, reply }) => {
        const match = LOG_LINE.exec(args.details.normalize("NFKC").trim());
        if (!match) throw bad("要写课程和日期", "write the course, then its date");
        const [, course = "", day = "", named = ""] = match;
        if (!isLocalDate(day)) throw bad(`不是有效日期: ${day}`, `not a real date: ${day}`);
        const personIds = await peopleNamed(named, event, actor.at);
        let logged: number;
        try {
          logged = await training.log(actor, {
            course,
            day,
            today: localDateOf(actor.at, timezone),
            personIds,
          });
        } catch (error) {
          if (!(error instanceof TrainingRefused)) throw error;
          const { refusal } = error;
          if (refusal.kind === "empty_course") throw bad("要写课程名称", "write the course");
          throw bad(
            `培训日期 ${refusal.day} 还没到 (今天是 ${refusal.today})`,
            `the training day ${refusal.day} is in the future (today is ${refusal.today})`,
          );
        }
        return reply.text(
          `已记录培训 “${course.trim()}” ${day}: ${logged} 人`,
          `Recorded “${course.trim()}” on ${day} for ${logged} people`,
        );
      },
    }),
    defineCommand({
      id: "training.list",
      group: TRAINING,
      names: { en: ["training list"], zh: ["培训 列表"] },
      description: {
        zh: "最近的培训记录, 全部或某人的",
        en: "the latest training records, everyone's or one person's",
      },
      example: { zh: "@王伟", en: "@Wang" },
      args: { person: arg.rest({ label: { zh: "@某人", en: "@person" }, optional: true }) },
      handler: async ({ args, event, reply }) => {
        let personId: number | undefined;
        let who = { zh: "全部", en: "everyone" };
        if (args.person !== undefined) {
          const { names, rest } = leadingMentions(args.person, event.mentions);
          const name = names[0];
          const account =
            name !== undefined && names.length === 1 && rest === ""
              ? accountNamed(name, event.mentions)
              : undefined;
          if (!account)
            throw new UserError(
              `要 @ 一个人: ${args.person} — 用法: /培训 列表 [@某人]`,
              `@ one person: ${args.person} — usage: /training list [@person]`,
            );
          const known = await people.known(event.platform, account.id);
          // Someone the bot has never met has no records: nobody is created by reading.
          personId = known?.personId ?? -1;
          who = { zh: known?.name ?? name ?? "", en: known?.name ?? name ?? "" };
        }
        const { records, total } = await training.list(personId);
        const lines = (zh: boolean) => {
          const head = zh ? `培训记录 · ${who.zh} (${total})` : `Training records · ${who.en} (${total})`;
          if (records.length === 0) return `${head}\n${zh ? "没有记录" : "No records"}`;
          return [head, ...records.map((record) => recordLine(record, zh))].join("\n");
        };
        return reply.text(lines(true), lines(false));
      },
    }),
    defineCommand({
      id: "practice",
      group: TRAINING,
      names: { en: ["practice"], zh: ["练习"] },
      description: {
        zh: "新人练习单: 在沙盒里一步步走完一张模拟订单和投诉, 评分记入培训; 不碰真实数据和指标",
        en: "the new hire's practice order: a simulated order and complaint, step by step, scored into training; never touches real data or KPIs",
      },
      example: { zh: "ACME X1-DEMO 120 2026-12-20", en: "ACME X1-DEMO 120 2026-12-20" },
      args: { answer: arg.rest({ label: { zh: "答案", en: "answer" }, optional: true }) },
      handler: async ({ args, actor, reply }) => {
        const text = (build: (lang: "zh" | "en") => string) => reply.text(build("zh"), build("en"));
        if (args.answer === undefined || args.answer.trim() === "") {
          const calendar = createWorkingCalendar({ timezone, overrides: await kpi.calendarOverrides() });
          const { session, started } = await training.startPractice(actor, calendar);
          return text((lang) =>
            started
              ? practiceQuestion(session, lang)
              : `${lang === "zh" ? "继续练习" : "Carrying on"} — ${practiceQuestion(session, lang)}`,
          );
        }
        try {
          const { session, graded } = await training.answerPractice(actor, args.answer, timezone);
          return text((lang) =>
            [
              practiceVerdict(session, graded, lang),
              session.finishedAt ? practiceScore(session, lang) : practiceQuestion(session, lang),
            ].join("\n"),
          );
        } catch (error) {
          if (!(error instanceof PracticeRefused)) throw error;
          throw error.refusal.kind === "not_started"
            ? new UserError("还没有开始练习: 先发送 /练习", "no practice under way: send /practice first")
            : new UserError("练习正在更新, 请重试", "the practice is being updated; please try again");
        }
      },
    }),
  ];
  return { commands, actions: [] };
}
