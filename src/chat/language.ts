// The two languages the bot speaks, a text in both, and the small helpers that pick or join words.

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
