// Risk register words and cards: one risk, the 5×5 matrix as plain lines, the highest open risks, refusals.
import type { Card } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, markup, md, type RichText } from "../../src/chat/rich-text.ts";
import { RISK_HIGH_SCORE, RISK_SCALE_MAX, RISK_SCALE_MIN } from "../../src/domain/policy.ts";
import type { RiskRefusal } from "../../src/domain/risks/refusal.ts";
import { isHighRisk, riskScore } from "../../src/domain/risks/score.ts";
import type { Risk, RiskCell, RiskRegister } from "../../src/domain/risks/store.ts";
import type { Task } from "../../src/domain/tasks/store.ts";

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

/** "20 (4 × 5) high": the score, how it came, and whether it is high. */
export function scoreText(risk: Pick<Risk, "score" | "likelihood" | "impact">, language: Language): string {
  const high = isHighRisk(risk.score) ? pick(language, " ⚠ 高", " ⚠ high") : "";
  return `${risk.score} (${risk.likelihood} × ${risk.impact})${high}`;
}

/** How user text is shown: whole, or cut where space is short (the digest). */
export type Clip = (text: string) => string;
export const whole: Clip = (text) => text;

/** The plan with its owner and date, or what is missing. */
function planText(risk: Risk, language: Language, clip: Clip): RichText {
  if (risk.plan === null)
    return markup(
      isHighRisk(risk.score)
        ? pick(language, "⚠ 无应对计划", "⚠ no plan")
        : pick(language, "无计划", "no plan"),
    );
  const owner = risk.planOwnerName
    ? md` · @${clip(risk.planOwnerName)}`
    : markup(isHighRisk(risk.score) ? pick(language, " · ⚠ 无负责人", " · ⚠ no owner") : "");
  const due = risk.planDue ? markup(` · ${pick(language, "截止", "due")} ${risk.planDue}`) : markup("");
  return md`${clip(risk.plan)}${owner}${due}`;
}

/** One line of a list: number, score, what, plan. */
export const riskLine = (risk: Risk, language: Language, clip: Clip = whole): RichText =>
  md`**${markup(risk.number)}** ${markup(scoreText(risk, language))} ${clip(risk.description)} — ${planText(risk, language, clip)}`;

export function riskCard(
  risk: Risk,
  language: Language,
  task?: Task,
  closedTasks: readonly string[] = [],
): Card {
  const closed = risk.status === "closed";
  return {
    title: `${pick(language, "风险", "Risk")} ${risk.number}${closed ? pick(language, " (已关闭)", " (closed)") : ""}`,
    tone: closed ? "success" : isHighRisk(risk.score) ? (risk.planOwnerId ? "warning" : "danger") : "info",
    fields: [
      { label: pick(language, "描述", "What"), value: risk.description },
      {
        label: pick(language, "评分 (可能性 × 影响)", "Score (likelihood × impact)"),
        value: scoreText(risk, language),
      },
      ...(risk.plan === null ? [] : [{ label: pick(language, "应对计划", "Plan"), value: risk.plan }]),
      ...(risk.planOwnerName
        ? [{ label: pick(language, "负责人", "Owner"), value: risk.planOwnerName }]
        : []),
      ...(risk.planDue ? [{ label: pick(language, "计划截止", "Plan due"), value: risk.planDue }] : []),
      ...(task
        ? [{ label: pick(language, "待办", "Task"), value: `${task.number} → ${task.ownerName}` }]
        : []),
      ...(closedTasks.length > 0
        ? [{ label: pick(language, "已随之完成的待办", "Tasks done with it"), value: closedTasks.join(", ") }]
        : []),
    ],
    note:
      isHighRisk(risk.score) && !risk.planOwnerId && !closed
        ? pick(
            language,
            `高风险 (≥ ${RISK_HIGH_SCORE}) 须有应对计划和负责人: /风险 计划 ${risk.number} <计划> @负责人`,
            `A high risk (≥ ${RISK_HIGH_SCORE}) needs a plan with an owner: /risk plan ${risk.number} <plan> @owner`,
          )
        : undefined,
  };
}

const SCALE = Array.from({ length: RISK_SCALE_MAX - RISK_SCALE_MIN + 1 }, (_, i) => RISK_SCALE_MIN + i);

/**
 * The open risks per likelihood (rows, highest on top) and impact (columns) as plain lines, which every platform
 * shows alike: no markdown table (DingTalk and WeCom draw none), "·" for an empty cell, high cells in bold.
 */
export function matrixLines(cells: readonly RiskCell[], language: Language): RichText {
  const counts = new Map(cells.map((cell) => [`${cell.likelihood}:${cell.impact}`, cell.count]));
  const rows = [...SCALE].reverse().map((likelihood) => {
    const row = SCALE.map((impact) => {
      const n = counts.get(`${likelihood}:${impact}`) ?? 0;
      if (n === 0) return "·";
      return isHighRisk(riskScore(likelihood, impact)) ? `**${n}**` : String(n);
    });
    return markup(`${pick(language, "可能性", "L")} ${likelihood} ｜ ${row.join(" ｜ ")}`);
  });
  const axis = markup(`${pick(language, "影响 →", "I →")} ｜ ${SCALE.join(" ｜ ")}`);
  const legend = markup(
    pick(
      language,
      `每格为未关闭风险数; 粗体为高风险 (评分 ≥ ${RISK_HIGH_SCORE})`,
      `open risks per cell (L = likelihood, I = impact); bold: high (score ≥ ${RISK_HIGH_SCORE})`,
    ),
  );
  return joinRich([...rows, axis, legend], "\n");
}

export function registerCard(register: RiskRegister, language: Language): Card {
  const top =
    register.top.length === 0
      ? [markup(pick(language, "没有未关闭的风险。", "No open risks."))]
      : register.top.map((risk, index) => md`${markup(`${index + 1}.`)} ${riskLine(risk, language)}`);
  const shown =
    register.openTotal > register.top.length
      ? pick(
          language,
          ` (共 ${register.openTotal} 个, 显示前 ${register.top.length} 个)`,
          ` (${register.top.length} of ${register.openTotal})`,
        )
      : "";
  return {
    title: pick(language, "风险登记册", "Risk register"),
    tone: register.top.some((risk) => isHighRisk(risk.score) && !risk.planOwnerId) ? "warning" : "info",
    markdown: joinRich(
      [
        md`**${markup(pick(language, "风险矩阵 (可能性 × 影响)", "Risk matrix (likelihood × impact)"))}**`,
        matrixLines(register.cells, language),
        md`**${markup(pick(language, "评分最高的未关闭风险", "Highest open risks") + shown)}**`,
        joinRich(top, "\n"),
      ],
      "\n\n",
    ),
  };
}

export function riskRefusalText(refusal: RiskRefusal, language: Language): string {
  switch (refusal.kind) {
    case "out_of_scale": {
      const what =
        refusal.what === "likelihood"
          ? pick(language, "可能性", "likelihood")
          : pick(language, "影响", "impact");
      return pick(
        language,
        `${what}须为 ${RISK_SCALE_MIN}–${RISK_SCALE_MAX} 的整数: ${refusal.value}`,
        `${what} must be a whole number from ${RISK_SCALE_MIN} to ${RISK_SCALE_MAX}: ${refusal.value}`,
      );
    }
    case "empty_text":
      return refusal.what === "plan"
        ? pick(language, "请写出应对计划", "write the plan")
        : pick(language, "请写出风险描述", "describe the risk");
    case "not_found":
      return pick(language, `没有风险 ${refusal.number}`, `no risk ${refusal.number}`);
    case "closed":
      return pick(language, `风险 ${refusal.number} 已关闭`, `risk ${refusal.number} is closed`);
    case "not_allowed":
      return pick(
        language,
        `只有经理、管理员或计划负责人可以为 ${refusal.number} 制定计划`,
        `only a manager, an admin or the plan's owner may plan ${refusal.number}`,
      );
    case "due_in_past":
      return pick(
        language,
        `截止日期 ${refusal.due} 已过 (今天是 ${refusal.today})`,
        `the due date ${refusal.due} is in the past (today is ${refusal.today})`,
      );
  }
}
