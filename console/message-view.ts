// The neutral picture of one chat message the page draws, read back from what a platform API received.

/** What a click does: a card callback carrying `data`, or (DingTalk links) a text sent as the user. */
export type Click = { kind: "callback"; data: unknown } | { kind: "message"; text: string };

export interface ButtonView {
  label: string;
  style: "primary" | "danger" | "default";
  /** Absent for a button that does nothing any more (a settled WeCom card). */
  click?: Click;
  confirm?: string;
}

export interface InputView {
  name: string;
  label: string;
  type: "text" | "number" | "date" | "select";
  required: boolean;
  placeholder?: string;
  initial?: string;
  options?: { value: string; label: string }[];
}

/** Title bar colours, named as Lark names its header templates. */
export type CardColor = "grey" | "blue" | "green" | "orange" | "red" | "plain";

export interface CardView {
  title?: string;
  color: CardColor;
  fields: { label: string; value: string }[];
  markdown?: string;
  buttons: ButtonView[];
  form?: { inputs: InputView[]; submit: ButtonView };
  note?: string;
}

export type MessageView = { kind: "text"; text: string } | { kind: "card"; card: CardView };

export const textView = (text: string): MessageView => ({ kind: "text", text });

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const stringOf = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

export function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
