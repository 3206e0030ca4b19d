// How many bytes a card's text can take on the platform that takes the least, counted before that platform's escaping.
import type { Card } from "../../src/chat/card.ts";
import type { RichText } from "../../src/chat/rich-text.ts";

/**
 * The smallest card any target takes: WeCom app markdown, 2048 bytes (the group robot's webhook takes 4096,
 * DingTalk's markdown 12 000, a Lark card 30 KB). A digest that fits it fits every platform unchanged.
 */
export const SMALLEST_CARD_BYTES = 2048;

/** Room for the frame a platform adds around the text: title markup, colour tags, line breaks. */
const FRAME_BYTES = 96;

/** What WeCom and DingTalk may add to user text: a zero-width space (3 bytes) after a syntax character. */
const ESCAPE_BYTES = 3;
const MAY_BE_ESCAPED = /[!-/:-@[-`{-~]/g;

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

/** An upper bound of the bytes of user text once a platform has defused its markup characters and line starts. */
const escapedBytes = (text: string): number =>
  utf8Bytes(text) + ESCAPE_BYTES * ((text.match(MAY_BE_ESCAPED)?.length ?? 0) + text.split("\n").length);

const richBytes = (rich: RichText): number =>
  rich.parts.reduce(
    (sum, part) => sum + ("markup" in part ? utf8Bytes(part.markup) : escapedBytes(part.text)),
    0,
  );

/** An upper bound of the card's size as any platform renders it as markdown. */
export const cardBytes = (card: Card): number =>
  FRAME_BYTES +
  escapedBytes(card.title) +
  (card.markdown ? richBytes(card.markdown) : 0) +
  (card.note ? escapedBytes(card.note) : 0);
