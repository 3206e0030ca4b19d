// Card text that knows its origin: opsbot's own markup, or text from a user that must render as text only.

export type RichPart = { readonly markup: string } | { readonly text: string };

/** A card's formatted text: parts in order; each platform escapes the `text` parts at its render boundary. */
export interface RichText {
  readonly parts: readonly RichPart[];
}

type Piece = string | number | RichText;

const isRich = (piece: Piece): piece is RichText => typeof piece === "object";

/** opsbot's own markup (bold, list markers, line breaks), rendered as written. */
export const markup = (source: string): RichText => ({ parts: [{ markup: source }] });

/**
 * md`**${label}**\n${userText}`: the template's literal parts are markup, every interpolated string or number
 * is text (escaped by each platform), and interpolated RichText is spliced as it is.
 */
export function md(strings: TemplateStringsArray, ...pieces: Piece[]): RichText {
  const parts: RichPart[] = [];
  strings.forEach((literal, index) => {
    if (literal) parts.push({ markup: literal });
    const piece = pieces[index];
    if (piece === undefined) return;
    if (isRich(piece)) parts.push(...piece.parts);
    else parts.push({ text: String(piece) });
  });
  return { parts };
}

/** Joins pieces with a markup separator ("\n", " · "); plain strings among them are text. */
export function joinRich(pieces: readonly Piece[], separator: string): RichText {
  const parts: RichPart[] = [];
  pieces.forEach((piece, index) => {
    if (index > 0 && separator) parts.push({ markup: separator });
    if (isRich(piece)) parts.push(...piece.parts);
    else parts.push({ text: String(piece) });
  });
  return { parts };
}

/** The text rendered with `escapeText` applied to the text parts and markup left as written. */
export const renderRich = (rich: RichText, escapeText: (text: string) => string): string =>
  rich.parts.map((part) => ("markup" in part ? part.markup : escapeText(part.text))).join("");

/** Everything as plain words, for surfaces that show no markup: bold markers dropped, text kept as typed. */
export const richPlain = (rich: RichText): string =>
  rich.parts.map((part) => ("markup" in part ? part.markup.replace(/\*\*/g, "") : part.text)).join("");
