// Defuses markdown syntax in user text for platforms whose markdown has no documented escape (DingTalk, WeCom).

/** Invisible, so the text reads as typed; it sits between a syntax character and what would complete it. */
export const ZERO_WIDTH_SPACE = "\u200B";

/** A code span forms whatever follows a backtick, so a backtick is shown as the modifier letter that looks like it. */
const BACKTICK_LOOKALIKE = "\u02CB";

/** A line that would start a heading, quote, list, rule or table row. */
const BLOCK_START = /^(?=[ \t]*(?:[#>*+=|-]|\d+[.)]))/gm;

/**
 * The text with a zero-width space after each of `syntax` (so `[x](…)`, `<at…>`, `<@id>`, `<font…>`, `**`,
 * `dtmd://` and `javascript:` no longer form) and before a line that would start a block (heading, quote,
 * list). A backtick becomes "ˋ", which looks the same. Letters, digits, CJK and other punctuation are untouched.
 */
export const defuseMarkdown = (text: string, syntax: RegExp): string =>
  text
    .replace(/`/g, BACKTICK_LOOKALIKE)
    .replace(syntax, `$&${ZERO_WIDTH_SPACE}`)
    .replace(BLOCK_START, ZERO_WIDTH_SPACE);
