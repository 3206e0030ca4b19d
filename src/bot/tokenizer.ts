// Splits chat text into a command word and argument tokens the way people type in Chinese and English chats.
import type { Person } from "../chat/events.ts";

export interface Token {
  /** The word as typed, without enclosing quotes. */
  text: string;
  /** Written inside quotes: "…", “…” or ‘…’. */
  quoted: boolean;
  /** The person an "@Name" token stands for: the message's n-th mention for the text's n-th "@". */
  mention?: Person;
  /** Offsets in the source text, quotes included, so a rest-of-line argument keeps the user's own spacing. */
  start: number;
  end: number;
}

export interface TokenizedText {
  source: string;
  /** The word right after "/" or "／", without it; null when the text is not a command. */
  command: Token | null;
  args: Token[];
}

// \s covers U+3000 (ideographic space), U+2000–U+200A (U+2005 …), NBSP and line breaks; zero-width spaces
// come in from rich-text editors around mentions.
const SPACE = /[\s\u200b\u2060]/u;
const DIGIT = /[0-9０-９]/;
const AT = new Set(["@", "＠"]);
const SLASH = new Set(["/", "／"]);
// IMEs are not careful about opening vs closing curly quotes, so any quote of the same family closes.
const DOUBLE_QUOTES = '"“”';
const SINGLE_QUOTES = "‘’";

/** Spaces and the full-width ，；： people type between words; "09：30" keeps its colon. */
function isSeparator(text: string, index: number): boolean {
  const char = text[index];
  if (char === undefined) return false;
  if (char === "，" || char === "；") return true;
  if (char === "：") return !(DIGIT.test(text[index - 1] ?? "") && DIGIT.test(text[index + 1] ?? ""));
  return SPACE.test(char);
}

function skipSeparators(text: string, index: number): number {
  let at = index;
  while (at < text.length && isSeparator(text, at)) at++;
  return at;
}

function wordEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && !isSeparator(text, end)) end++;
  return end;
}

function closingQuotesOf(char: string | undefined): string | undefined {
  if (char === undefined) return undefined;
  if (DOUBLE_QUOTES.includes(char)) return DOUBLE_QUOTES;
  if (SINGLE_QUOTES.includes(char)) return SINGLE_QUOTES;
  return undefined;
}

interface MentionSpan {
  end: number;
  person: Person;
}

function nextAt(text: string, from: number): number {
  for (let index = from; index < text.length; index++) if (AT.has(text[index] as string)) return index;
  return -1;
}

/** The next "@Name" written for this person; names may hold spaces, so they are matched whole. */
function findNamedMention(
  text: string,
  from: number,
  name: string,
): { start: number; end: number } | undefined {
  for (let at = nextAt(text, from); at !== -1; at = nextAt(text, at + 1)) {
    if (text.startsWith(name, at + 1)) return { start: at, end: at + 1 + name.length };
  }
  return undefined;
}

/** The next "@word" at the start of a word, for mentions whose name the platform does not give (DingTalk). */
function findBareMention(text: string, from: number): { start: number; end: number } | undefined {
  for (let at = nextAt(text, from); at !== -1; at = nextAt(text, at + 1)) {
    const before = text[at - 1];
    if (at === 0 || isSeparator(text, at - 1) || closingQuotesOf(before))
      return { start: at, end: wordEnd(text, at) };
  }
  return undefined;
}

/**
 * Where each mentioned person is written, in order: the adapters list mentions in text order and write each
 * as "@Name", so the n-th mention is found after the (n-1)-th. Stops at the first one it cannot find rather
 * than guess.
 */
function locateMentions(text: string, mentions: readonly Person[]): Map<number, MentionSpan> {
  const spans = new Map<number, MentionSpan>();
  let from = 0;
  for (const person of mentions) {
    const span =
      (person.name ? findNamedMention(text, from, person.name) : undefined) ?? findBareMention(text, from);
    if (!span) break;
    spans.set(span.start, { end: span.end, person });
    from = span.end;
  }
  return spans;
}

function readToken(text: string, start: number, mentions: Map<number, MentionSpan>): Token {
  const mention = mentions.get(start);
  if (mention) {
    return {
      text: text.slice(start, mention.end),
      quoted: false,
      mention: mention.person,
      start,
      end: mention.end,
    };
  }
  const closing = closingQuotesOf(text[start]);
  if (closing) {
    let close = start + 1;
    while (close < text.length && !closing.includes(text[close] as string)) close++;
    // An unclosed quote runs to the end of the text rather than failing the whole command.
    return { text: text.slice(start + 1, close), quoted: true, start, end: Math.min(close + 1, text.length) };
  }
  const end = wordEnd(text, start);
  return { text: text.slice(start, end), quoted: false, start, end };
}

const startsWithOneOf = (token: Token, chars: Set<string>): boolean =>
  !token.quoted && token.mention === undefined && chars.has(token.text[0] ?? "");

export function tokenize(text: string, mentions: readonly Person[] = []): TokenizedText {
  const spans = locateMentions(text, mentions);
  const tokens: Token[] = [];
  for (let at = skipSeparators(text, 0); at < text.length; ) {
    const token = readToken(text, at, spans);
    tokens.push(token);
    at = skipSeparators(text, token.end);
  }
  // "@Name /command …": a mention left before the command (one the adapter did not strip) is not part of it.
  const first = tokens[0];
  const leadingMention = first !== undefined && (first.mention !== undefined || startsWithOneOf(first, AT));
  const commandIndex = leadingMention ? tokens.findIndex((token) => startsWithOneOf(token, SLASH)) : 0;
  const head = tokens[commandIndex];
  if (!head || !startsWithOneOf(head, SLASH)) return { source: text, command: null, args: [] };
  return {
    source: text,
    command: { text: head.text.slice(1), quoted: false, start: head.start + 1, end: head.end },
    args: tokens.slice(commandIndex + 1),
  };
}

/** Several tokens as the user wrote them (spacing and punctuation kept); a lone quoted token loses its quotes. */
export function restOfLine(source: string, tokens: readonly Token[]): string {
  const first = tokens[0];
  const last = tokens.at(-1);
  if (!first || !last) return "";
  if (tokens.length === 1) return first.text;
  return source.slice(first.start, last.end);
}
