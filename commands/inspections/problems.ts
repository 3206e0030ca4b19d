// A submission's problems (missing, not a number, not pass/fail) as one refusal naming them all, with the usage.
import { UserError } from "../../src/bot/index.ts";
import type { Language } from "../../src/chat/language.ts";
import type { Problem } from "../../src/domain/inspections/checklist.ts";

function problemText(problem: Problem, language: Language): string {
  const { labelZh, labelEn } = problem.item;
  const zh = language === "zh";
  switch (problem.kind) {
    case "missing":
      return zh ? `请填写${labelZh}` : `${labelEn} is missing`;
    case "not_number":
      return zh ? `${labelZh}必须是数字: ${problem.typed}` : `${labelEn} must be a number: ${problem.typed}`;
    case "not_choice":
      return zh
        ? `${labelZh}只能是 合格 或 不合格: ${problem.typed}`
        : `${labelEn} must be pass or fail: ${problem.typed}`;
  }
}

/** Every problem of a submission at once, so one correction fixes them all; nothing was stored. */
export function problemsRefusal(problems: readonly Problem[], usage?: { zh: string; en: string }): UserError {
  const text = (language: Language) => problems.map((problem) => problemText(problem, language)).join("; ");
  const suffix = (language: Language) =>
    usage ? ` — ${language === "zh" ? "用法" : "usage"}: ${usage[language]}` : "";
  return new UserError(`${text("zh")}${suffix("zh")}`, `${text("en")}${suffix("en")}`);
}
