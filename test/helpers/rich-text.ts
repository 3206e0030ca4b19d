// A card's markdown as one string (markup and text as written), for tests that read its lines.
import type { RichText } from "../../src/chat/rich-text.ts";

export const sourceOf = (rich: RichText | undefined): string =>
  (rich?.parts ?? []).map((part) => ("markup" in part ? part.markup : part.text)).join("");
