// Reads a Lark message as the Lark API received it (text, or card JSON 2.0) back into the page's message view.
import {
  type ButtonView,
  type CardColor,
  type CardView,
  type InputView,
  isRecord,
  type MessageView,
  parseJson,
  stringOf,
  textView,
} from "../message-view.ts";

/** What the console keeps of a Lark message: the body fields every message endpoint takes. */
export interface LarkPayload {
  msg_type: string;
  content: string;
}

type Json = Record<string, unknown>;

const COLORS: readonly CardColor[] = ["grey", "blue", "green", "orange", "red"];
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const textOf = (element: unknown): string =>
  isRecord(element) ? (stringOf(element.content) ?? textOf(element.text)) : "";
const isNotation = (element: Json) => isRecord(element.text) && element.text.text_size === "notation";

function buttonView(element: Json): ButtonView {
  const behavior = list(element.behaviors).find((entry) => entry.type === "callback");
  const type = stringOf(element.type);
  const view: ButtonView = {
    label: textOf(element.text),
    style: type === "primary" || type === "danger" ? type : "default",
  };
  if (behavior) view.click = { kind: "callback", data: behavior.value };
  if (isRecord(element.confirm)) view.confirm = textOf(element.confirm.text);
  return view;
}

function formView(form: Json): CardView["form"] {
  const inputs: InputView[] = [];
  let pendingLabel = "";
  let submit: ButtonView | undefined;
  for (const element of list(form.elements)) {
    const common = {
      name: stringOf(element.name) ?? "",
      required: element.required === true,
      ...(isRecord(element.placeholder) && { placeholder: textOf(element.placeholder) }),
    };
    switch (element.tag) {
      case "div":
        pendingLabel = textOf(element.text);
        break;
      case "input":
        inputs.push({
          ...common,
          label: textOf(element.label),
          type: "text",
          ...(typeof element.default_value === "string" && { initial: element.default_value }),
        });
        break;
      case "date_picker":
        inputs.push({
          ...common,
          label: pendingLabel,
          type: "date",
          ...(typeof element.initial_date === "string" && { initial: element.initial_date }),
        });
        break;
      case "select_static":
        inputs.push({
          ...common,
          label: pendingLabel,
          type: "select",
          options: list(element.options).map((option) => ({
            value: stringOf(option.value) ?? "",
            label: textOf(option.text),
          })),
          ...(typeof element.initial_option === "string" && { initial: element.initial_option }),
        });
        break;
      case "button":
        submit = buttonView(element);
        break;
    }
  }
  return submit ? { inputs, submit } : undefined;
}

function cardView(card: Json): CardView {
  const header = isRecord(card.header) ? card.header : {};
  const template = stringOf(header.template) as CardColor | undefined;
  const view: CardView = {
    color: template && COLORS.includes(template) ? template : "plain",
    fields: [],
    buttons: [],
  };
  const title = textOf(header.title);
  if (title) view.title = title;
  const markdown: string[] = [];
  for (const element of list(isRecord(card.body) ? card.body.elements : undefined)) {
    if (element.tag === "column_set" && element.flex_mode === "flow") {
      for (const column of list(element.columns))
        view.buttons.push(
          ...list(column.elements)
            .filter((e) => e.tag === "button")
            .map(buttonView),
        );
    } else if (element.tag === "column_set") {
      for (const column of list(element.columns)) {
        const [label, value] = list(column.elements);
        view.fields.push({ label: textOf(label?.text), value: textOf(value?.text) });
      }
    } else if (element.tag === "markdown") {
      markdown.push(textOf(element));
    } else if (element.tag === "form") {
      const form = formView(element);
      if (form) view.form = form;
    } else if (element.tag === "div" && isNotation(element)) {
      view.note = textOf(element.text);
    } else if (element.tag === "div") {
      markdown.push(textOf(element.text));
    }
  }
  if (markdown.length) view.markdown = markdown.join("\n\n");
  return view;
}

export function larkView(payload: unknown): MessageView {
  const { msg_type: type, content } = (isRecord(payload) ? payload : {}) as Partial<LarkPayload>;
  const parsed = parseJson(content);
  if (type === "interactive" && isRecord(parsed)) return { kind: "card", card: cardView(parsed) };
  return textView(isRecord(parsed) ? (stringOf(parsed.text) ?? "") : "");
}
