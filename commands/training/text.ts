// Training in words: the practice order's questions, verdicts and score, and the managers' list of the untrained.
import type { Language } from "../../src/chat/language.ts";
import {
  FIRST_RESPONSE_HOURS,
  PRACTICE_PASS_PERCENT,
  RESOLUTION_WORKING_DAYS,
} from "../../src/domain/policy.ts";
import {
  expectedAnswer,
  PRACTICE_STEPS,
  type PracticeAnswer,
  type PracticeSession,
} from "../../src/domain/training/practice.ts";
import type { Quarter } from "../../src/domain/training/quarter.ts";

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

const SANDBOX = {
  zh: "【练习】这是模拟数据, 不会生成真实订单、投诉或告警, 也不计入指标。",
  en: "[Practice] Simulated data: no real order, complaint or alert is made, and no KPI counts it.",
};

export function practiceQuestion(session: PracticeSession, language: Language): string {
  const step = PRACTICE_STEPS[session.step];
  const s = session.scenario;
  const number = `${session.step + 1}/${PRACTICE_STEPS.length}`;
  switch (step) {
    case "order":
      return pick(
        language,
        `${SANDBOX.zh}\n第 ${number} 步: 客户 ${s.customer} 来电, 要 ${s.quantity} 件 ${s.model}, ${s.due} 交货。请按下单的字段顺序填写:\n/练习 <客户> <型号> <数量> <交期 YYYY-MM-DD>`,
        `${SANDBOX.en}\nStep ${number}: customer ${s.customer} calls for ${s.quantity} units of ${s.model}, delivered by ${s.due}. Enter the order's fields in order:\n/practice <customer> <model> <qty> <due YYYY-MM-DD>`,
      );
    case "response_due":
      return pick(
        language,
        `第 ${number} 步: 客户 ${s.customer} 于 ${s.receivedAt} 投诉包装破损。首次回复最晚何时?\n/练习 YYYY-MM-DD HH:MM`,
        `Step ${number}: ${s.customer} complains about damaged packaging at ${s.receivedAt}. By when is the first response due?\n/practice YYYY-MM-DD HH:MM`,
      );
    case "resolution_due":
      return pick(
        language,
        `第 ${number} 步: 这条投诉最晚何时要解决 (按工作日历)?\n/练习 YYYY-MM-DD HH:MM`,
        `Step ${number}: by when must this complaint be resolved (on the working calendar)?\n/practice YYYY-MM-DD HH:MM`,
      );
    case "review_after":
      return pick(
        language,
        `第 ${number} 步: 订单逾期超过几天要召开专项评审会?\n/练习 <天数>`,
        `Step ${number}: an order more than how many days late calls a special review meeting?\n/practice <days>`,
      );
    default:
      return pick(language, "这次练习已完成。", "This practice is finished.");
  }
}

/** Why the answer is what it is: the rule behind each step. */
function rule(answer: PracticeAnswer, language: Language): string {
  switch (answer.step) {
    case "order":
      return pick(
        language,
        "下单要有客户、型号、数量 (正整数) 和不早于今天的交期",
        "an order needs customer, model, quantity (a positive whole number) and a due date not in the past",
      );
    case "response_due":
      return pick(
        language,
        `首次回复: 收到后 ${FIRST_RESPONSE_HOURS} 个自然小时`,
        `first response: ${FIRST_RESPONSE_HOURS} clock hours after receipt`,
      );
    case "resolution_due":
      return pick(
        language,
        `解决: ${RESOLUTION_WORKING_DAYS} 个工作日, 节假日不算, 调休上班日算, 保持收到时的钟点`,
        `resolution: ${RESOLUTION_WORKING_DAYS} working days, holidays skipped, make-up workdays counted, same time of day`,
      );
    case "review_after":
      return pick(
        language,
        "逾期超过这个天数即为升级, 要开专项评审会",
        "more days late than this is an escalation: a special review meeting",
      );
  }
}

export function practiceVerdict(
  session: PracticeSession,
  answer: PracticeAnswer,
  language: Language,
): string {
  const expected = expectedAnswer(answer.step, session.scenario);
  const provisional =
    answer.step === "resolution_due" && session.scenario.provisional
      ? pick(language, " (暂定日历)", " (provisional calendar)")
      : "";
  return answer.correct
    ? pick(language, `✓ 正确: ${expected}${provisional}`, `✓ Right: ${expected}${provisional}`)
    : pick(
        language,
        `✗ 正确答案是 ${expected}${provisional} — ${rule(answer, language)}`,
        `✗ The answer is ${expected}${provisional} — ${rule(answer, language)}`,
      );
}

export function practiceScore(session: PracticeSession, language: Language): string {
  const right = session.answers.filter((answer) => answer.correct).length;
  const score = session.score ?? 0;
  const passed = score >= PRACTICE_PASS_PERCENT;
  return pick(
    language,
    `练习完成: ${right}/${PRACTICE_STEPS.length} 正确, 得分 ${score} (及格 ${PRACTICE_PASS_PERCENT}) ${passed ? "✓ 通过" : "✗ 未通过, 可再发 /练习 重来"}。已记入培训记录。`,
    `Practice done: ${right}/${PRACTICE_STEPS.length} right, score ${score} (pass ${PRACTICE_PASS_PERCENT}) ${passed ? "✓ passed" : "✗ not passed; send /practice to try again"}. Kept as a training record.`,
  );
}

/** The managers' list of the people with no training yet this quarter, in both languages (sent unasked). */
export function trainingGapText(quarter: Quarter, names: readonly string[]): string {
  return [
    `本季度 (${quarter.label}, 至 ${quarter.to}) 尚无培训记录的人 / Not yet trained this quarter (${quarter.label}, until ${quarter.to}): ${names.length}`,
    ...names.map((name) => `- ${name}`),
    "记录: /培训 记录 <课程…> <YYYY-MM-DD> @参加人… / Record: /training log <course…> <YYYY-MM-DD> @people…",
  ].join("\n");
}
