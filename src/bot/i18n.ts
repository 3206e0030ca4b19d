// The kit's own words in Chinese and English: parse errors, refusals, apologies and help labels.

export type Language = "zh" | "en";

/** A text in both languages; the reply picks one. */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** `t(zh, en)` for handlers: the text in this language. */
export const translator =
  (language: Language) =>
  (zh: string, en: string): string =>
    language === "zh" ? zh : en;

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/** Whether a text is written in Chinese, to answer an unrecognised message in the user's language. */
export const hasCjk = (text: string): boolean => CJK.test(text);

/** "a、b 或 c" / "a, b or c". */
export function joinOr(items: readonly string[], language: Language): string {
  if (items.length <= 1) return items.join("");
  const head = items.slice(0, -1).join(language === "zh" ? "、" : ", ");
  return `${head}${language === "zh" ? " 或 " : " or "}${items.at(-1)}`;
}

const zh = {
  usage: "用法",
  notACommand: "命令以 / 开头, 发送 /帮助 查看全部命令",
  unknownCommand: (input: string) => `未知命令: ${input}`,
  didYouMean: (names: string) => `你是不是想用 ${names}?`,
  seeHelp: "发送 /帮助 查看全部命令",
  missing: (label: string) => `缺少${label}`,
  extra: "多余的参数",
  notPositiveInteger: (label: string) => `${label}必须是正整数`,
  outOfRange: (label: string, min: number, max: number) => `${label}必须在 ${min} 到 ${max} 之间`,
  belowMin: (label: string, min: number) => `${label}不能小于 ${min}`,
  notDate: (label: string) => `${label}必须是日期 YYYY-MM-DD`,
  notCalendarDate: (label: string) => `${label}不是真实存在的日期`,
  notChoice: (label: string, choices: string) => `${label}必须是 ${choices} 之一`,
  badFormat: (label: string, example: string | undefined) =>
    example ? `${label}格式不对 (例如 ${example})` : `${label}格式不对`,
  notMention: (label: string) => `${label}必须是 @ 提及的人`,
  notAllowed: (command: string) => `你没有权限使用 ${command}`,
  needsRoles: (roles: string) => `需要角色: ${roles}`,
  unknownAction: (action: string) => `这个按钮已失效 (未知操作: ${action})`,
  failed: (errorId: string) => `抱歉, 处理时出错了, 请稍后再试 (错误编号 ${errorId})`,
  helpTitle: "命令列表",
  helpNote: "发送 /帮助 <命令> 查看用法和示例",
  otherGroup: "其他",
  unknownTopicTitle: "没有这个命令",
  fieldUsage: "用法",
  fieldArgs: "参数",
  fieldExample: "示例",
  fieldRoles: "权限",
  fieldNames: "其他名称",
  everyone: "所有人",
  optional: "可选",
  defaultValue: (value: string) => `默认 ${value}`,
  describeText: "文字",
  describeInteger: "正整数",
  describeIntegerRange: (min: number, max: number) => `${min} 到 ${max} 的整数`,
  describeIntegerMin: (min: number) => `不小于 ${min} 的整数`,
  describeDate: "日期 YYYY-MM-DD",
  describeChoices: (choices: string) => `${choices} 之一`,
  describeUser: "@ 提及的人",
  describeRest: "到行末的文字",
};

type Strings = typeof zh;

const en: Strings = {
  usage: "usage",
  notACommand: "Commands start with /. Send /help for the list",
  unknownCommand: (input) => `unknown command: ${input}`,
  didYouMean: (names) => `did you mean ${names}?`,
  seeHelp: "Send /help for the list of commands",
  missing: (label) => `missing ${label}`,
  extra: "unexpected argument",
  notPositiveInteger: (label) => `${label} must be a positive integer`,
  outOfRange: (label, min, max) => `${label} must be between ${min} and ${max}`,
  belowMin: (label, min) => `${label} must be at least ${min}`,
  notDate: (label) => `${label} must be a date YYYY-MM-DD`,
  notCalendarDate: (label) => `${label} is not a real date`,
  notChoice: (label, choices) => `${label} must be one of ${choices}`,
  badFormat: (label, example) =>
    example ? `${label} has the wrong format (e.g. ${example})` : `${label} has the wrong format`,
  notMention: (label) => `${label} must be an @mention`,
  notAllowed: (command) => `you may not use ${command}`,
  needsRoles: (roles) => `needs role: ${roles}`,
  unknownAction: (action) => `This button no longer works (unknown action: ${action})`,
  failed: (errorId) => `Sorry, something went wrong. Please try again later (error id ${errorId})`,
  helpTitle: "Commands",
  helpNote: "Send /help <command> for its usage and an example",
  otherGroup: "Other",
  unknownTopicTitle: "No such command",
  fieldUsage: "Usage",
  fieldArgs: "Arguments",
  fieldExample: "Example",
  fieldRoles: "Who may use it",
  fieldNames: "Other names",
  everyone: "everyone",
  optional: "optional",
  defaultValue: (value) => `default ${value}`,
  describeText: "text",
  describeInteger: "positive integer",
  describeIntegerRange: (min, max) => `integer from ${min} to ${max}`,
  describeIntegerMin: (min) => `integer of at least ${min}`,
  describeDate: "date YYYY-MM-DD",
  describeChoices: (choices) => `one of ${choices}`,
  describeUser: "an @mention",
  describeRest: "text to the end of the line",
};

const STRINGS: Record<Language, Strings> = { zh, en };

export const strings = (language: Language): Strings => STRINGS[language];
