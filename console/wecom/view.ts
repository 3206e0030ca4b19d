// Reads a WeCom message body (text, markdown or template_card) back into the page's message view.
import {
  type ButtonView,
  type CardColor,
  type CardView,
  isRecord,
  type MessageView,
  stringOf,
  textView,
} from "../message-view.ts";

type Json = Record<string, unknown>;

/** WeCom markdown's three font colours: info is green, warning orange-red, comment grey. */
const FONT_COLOR: Record<string, CardColor> = { info: "green", warning: "orange", comment: "grey" };
/** Robot template-card button styles (doc 101032): 1 emphasis, 3 red text, 4 neutral. */
const BUTTON_STYLE: Record<number, ButtonView["style"]> = { 1: "primary", 2: "primary", 3: "danger" };
const SETTLED_KEY = "opsbot.settled";

const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const withoutFonts = (text: string): string => text.replace(/<\/?font[^>]*>/gu, "");

/** A markdown message whose first line is a bold title (how cards go out through group webhooks). */
function markdownView(content: string): MessageView {
  const [first = "", ...rest] = content.split("\n");
  const title = /^(?:<font color="(\w+)">)?\*\*(.+?)\*\*(?:<\/font>)?$/u.exec(first.trim());
  if (!title?.[2]) return textView(withoutFonts(content));
  const card: CardView = {
    title: title[2],
    color: FONT_COLOR[title[1] ?? ""] ?? "plain",
    fields: [],
    buttons: [],
  };
  const body = withoutFonts(rest.join("\n")).trim();
  if (body) card.markdown = body;
  return { kind: "card", card };
}

function templateCardView(card: Json): CardView {
  const taskId = stringOf(card.task_id);
  const cardType = stringOf(card.card_type);
  const click = (key: unknown): ButtonView["click"] =>
    typeof key === "string" && key !== SETTLED_KEY
      ? { kind: "callback", data: { key, taskId, cardType } }
      : undefined;
  const title = isRecord(card.main_title) ? card.main_title : {};
  const view: CardView = {
    color: "plain",
    fields: list(card.horizontal_content_list).map((item) => ({
      label: stringOf(item.keyname) ?? "",
      value: stringOf(item.value) ?? "",
    })),
    buttons: list(card.button_list).map((button) => {
      const action = click(button.key);
      return {
        label: stringOf(button.text) ?? "",
        style: BUTTON_STYLE[Number(button.style)] ?? "default",
        ...(action && { click: action }),
      };
    }),
  };
  if (stringOf(title.title)) view.title = stringOf(title.title);
  if (stringOf(title.desc)) view.note = stringOf(title.desc);
  const body =
    stringOf(card.sub_title_text) ??
    (isRecord(card.quote_area) ? stringOf(card.quote_area.quote_text) : undefined);
  if (body) view.markdown = body;
  const selects = list(card.select_list);
  const submit = isRecord(card.submit_button) ? card.submit_button : undefined;
  const submitClick = submit && click(submit.key);
  if (selects.length > 0 && submit && submitClick) {
    view.form = {
      inputs: selects.map((select) => ({
        name: stringOf(select.question_key) ?? "",
        label: stringOf(select.title) ?? "",
        type: "select",
        required: true,
        options: list(select.option_list).map((option) => ({
          value: stringOf(option.id) ?? "",
          label: stringOf(option.text) ?? "",
        })),
        ...(typeof select.selected_id === "string" && { initial: select.selected_id }),
      })),
      submit: { label: stringOf(submit.text) ?? "OK", style: "primary", click: submitClick },
    };
  }
  return view;
}

export function wecomView(payload: unknown): MessageView {
  const body = isRecord(payload) ? payload : {};
  const part = body[String(body.msgtype)];
  if (!isRecord(part)) return textView("");
  if (body.msgtype === "template_card") return { kind: "card", card: templateCardView(part) };
  if (body.msgtype === "markdown") return markdownView(stringOf(part.content) ?? "");
  return textView(stringOf(part.content) ?? "");
}
