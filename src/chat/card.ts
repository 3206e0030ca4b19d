// What the bot says: a text or a neutral card (fields, buttons, a form), and the answer to a card click.
// Each platform renders it in its own card format; commands draw it, the domain never does.
import type { RichText } from "./rich-text.ts";

export type CardTone = "neutral" | "info" | "success" | "warning" | "danger";

export interface CardField {
  label: string;
  value: string;
}

export interface CardButton {
  label: string;
  action: string;
  value?: Record<string, string>;
  style?: "primary" | "danger" | "default";
  /** When set, the platform asks the user to confirm before sending the click. */
  confirm?: string;
}

export type FormInputType = "text" | "number" | "date" | "select";

export interface FormInput {
  name: string;
  label: string;
  type: FormInputType;
  required?: boolean;
  placeholder?: string;
  initial?: string;
  options?: { value: string; label: string }[];
}

export interface CardForm {
  action: string;
  value?: Record<string, string>;
  submitLabel: string;
  inputs: FormInput[];
}

/**
 * A card. Title, field labels and values, note, button and form labels are text: every platform renders them
 * as typed, never as markup. Only `markdown` carries opsbot's own markup (**bold**, line breaks, lists), and
 * the user text inside it is marked as such (rich-text.ts), so each platform escapes it at its render boundary.
 */
export interface Card {
  title: string;
  tone: CardTone;
  fields?: CardField[];
  markdown?: RichText;
  buttons?: CardButton[];
  form?: CardForm;
  /** Small grey line at the bottom, e.g. "Confirmed by Wang Wei at 10:02". */
  note?: string;
  /**
   * What to type instead of the buttons, shown where they cannot be clicked (a WeCom group robot's webhook, a
   * DingTalk card without its template), e.g. "回复 /确认 A-20261126-001".
   */
  withoutButtons?: string;
}

export type OutboundMessage = { type: "text"; text: string } | { type: "card"; card: Card };

/** What a handler decided after a card click, for the platform to show at once. */
export interface ActionResult {
  toast?: { kind: "success" | "info" | "warning" | "error"; text: string };
  /** The card as it should now look (replaces the clicked card). */
  card?: Card;
}
