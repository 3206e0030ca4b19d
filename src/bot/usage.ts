// Usage lines and argument descriptions, generated from the argument specs for errors and /help.

import { joinOr, type Language } from "../chat/language.ts";
import { type ArgSpec, type ArgSpecs, isOptional } from "./args.ts";
import { strings } from "./i18n.ts";

/** "qtyMax" → "qty-max": English placeholders read like the DESIGN table (<order-no>, <new-due>). */
const kebab = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

const choicesOf = (spec: ArgSpec & { type: "enum" }, language: Language): string[] =>
  language === "zh" ? Object.values(spec.choices) : Object.keys(spec.choices);

function placeholderText(name: string, spec: ArgSpec, language: Language): string {
  if (spec.type === "enum") return choicesOf(spec, language).join("|");
  const word = language === "zh" ? spec.label.zh : kebab(name);
  if (spec.type === "user") return `@${word}`;
  if (spec.type === "rest") return `${word}…`;
  return word;
}

/** "<数量>", "[open|overdue|mine]", "<@user>", "<reason…>". */
function placeholder(name: string, spec: ArgSpec, language: Language): string {
  const text = placeholderText(name, spec, language);
  return isOptional(spec) ? `[${text}]` : `<${text}>`;
}

/** "/下单 <客户> <型号> <数量> <交期>" for the name the user typed. */
export function usageLine(commandName: string, args: ArgSpecs, language: Language): string {
  return [
    `/${commandName}`,
    ...Object.entries(args).map(([name, spec]) => placeholder(name, spec, language)),
  ].join(" ");
}

/** "用法: /待办 新建 …" or "usage: /task new …" in the reader's language, for a mistake's reply. */
export function usageSentence(
  names: Record<Language, string>,
  args: ArgSpecs,
): (language: Language) => string {
  return (language) => `${strings(language).usage}: ${usageLine(names[language], args, language)}`;
}

function valueDescription(spec: ArgSpec, language: Language): string {
  const words = strings(language);
  switch (spec.type) {
    case "text":
      return spec.example ? `${words.describeText} (${spec.example})` : words.describeText;
    case "integer": {
      const min = Math.max(1, spec.min ?? 1);
      if (spec.max !== undefined) return words.describeIntegerRange(min, spec.max);
      return min > 1 ? words.describeIntegerMin(min) : words.describeInteger;
    }
    case "date":
      return words.describeDate;
    case "enum": {
      const choices = Object.entries(spec.choices).map(([value, zh]) =>
        language === "zh" ? `${zh} (${value})` : value,
      );
      return words.describeChoices(joinOr(choices, language));
    }
    case "user":
      return words.describeUser;
    case "rest":
      return words.describeRest;
  }
}

function defaultText(spec: ArgSpec, language: Language): string | undefined {
  if (!("default" in spec) || spec.default === undefined) return undefined;
  if (spec.type === "enum" && language === "zh") return spec.choices[spec.default];
  return String(spec.default);
}

/** "数量: 正整数", "status: one of open, overdue or mine, optional, default open". */
export function describeArg(spec: ArgSpec, language: Language): string {
  const words = strings(language);
  const notes = [valueDescription(spec, language)];
  if (isOptional(spec)) notes.push(words.optional);
  const fallback = defaultText(spec, language);
  if (fallback !== undefined) notes.push(words.defaultValue(fallback));
  return `${spec.label[language]}: ${notes.join(", ")}`;
}
