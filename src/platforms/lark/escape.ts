// User text inside Lark markdown (card 2.0 `markdown`) and text messages, rendered as text only.
import { ZERO_WIDTH_SPACE } from "../shared/zero-width.ts";

/**
 * Card markdown interprets links, emphasis, headings, lists, quotes, code, emoji (:OK:) and tags such as
 * <at id=all>, <font>, <text_tag> and <link>; Lark documents HTML character references as its escape for
 * these characters, so each becomes its numeric reference and reads exactly as typed.
 */
const MARKDOWN_SYNTAX = /[[\]()<>!:`*_~#|\\&]/g;
/** "-", "+" or "1." at the start of a line would begin a list or a rule. */
const LIST_MARK = /^([ \t]*)(?:([-+])|(\d+)\.)/gm;

const reference = (char: string): string => `&#${char.charCodeAt(0)};`;

/** `text` as it reads inside a Lark markdown element, never as markup, a link or a mention. */
export const escapeLarkMarkdown = (text: string): string =>
  text
    .replace(MARKDOWN_SYNTAX, reference)
    .replace(LIST_MARK, (_, indent: string, mark?: string, number?: string) =>
      mark ? `${indent}${reference(mark)}` : `${indent}${number}${reference(".")}`,
    );

/** Text messages interpret only <at user_id=…> tags; a zero-width space after their "<" keeps any from forming. */
export const escapeLarkText = (text: string): string =>
  text.replace(/<(?=\s*at\b)/gi, `<${ZERO_WIDTH_SPACE}`);
