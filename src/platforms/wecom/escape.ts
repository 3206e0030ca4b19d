// User text inside WeCom markdown and text messages, which interpret mentions and a markdown subset.
import { defuseMarkdown, ZERO_WIDTH_SPACE } from "../shared/zero-width.ts";

/**
 * WeCom markdown interprets links ([]()), bold, headings, quotes, inline code, <font color> and <@userid>
 * mentions; text messages interpret <@userid>. Neither documents an escape syntax, so these are defused.
 */
const SYNTAX = /[[\]`*_~|\\]|<(?=[A-Za-z/!?@])|&(?=[#A-Za-z])|:(?=\/)/g;

/** `text` as it reads inside WeCom markdown, never as markup or a mention. */
export const escapeWeComText = (text: string): string => defuseMarkdown(text, SYNTAX);

/** Text messages interpret only <@userid> mentions; a zero-width space after their "<" keeps any from forming. */
export const escapeWeComPlainText = (text: string): string => text.replace(/<(?=@)/g, `<${ZERO_WIDTH_SPACE}`);
