// What the bot says: a text or a neutral card (fields, buttons, a form), and the answer to a card click.
// Each platform renders it in its own card format; commands draw it, the domain never does.

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

export interface Card {
  title: string;
  tone: CardTone;
  fields?: CardField[];
  /** Lark-flavoured markdown subset: **bold**, line breaks, lists. */
  markdown?: string;
  buttons?: CardButton[];
  form?: CardForm;
  /** Small grey line at the bottom, e.g. "Confirmed by Wang Wei at 10:02". */
  note?: string;
}

export type OutboundMessage = { type: "text"; text: string } | { type: "card"; card: Card };

/** What a handler decided after a card click, for the platform to show at once. */
export interface ActionResult {
  toast?: { kind: "success" | "info" | "warning" | "error"; text: string };
  /** The card as it should now look (replaces the clicked card). */
  card?: Card;
}
