// Reads a DingTalk message back into the page's view: our interactive-card template's data, or robot JSON.
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

/** What the console keeps: a template card's cardParamMap, or a robot message's msgKey + msgParam. */
export type DingTalkPayload =
  | { kind: "card"; cardParamMap: Record<string, string> }
  | { kind: "robot"; msgKey: string; msgParam: string };

/** Title bar colour per tone (the template shows `tone`; the console draws it like the other platforms). */
const TONE_COLOR: Record<string, CardColor> = {
  neutral: "grey",
  info: "blue",
  success: "green",
  warning: "orange",
  danger: "red",
};

const style = (value: unknown): ButtonView["style"] =>
  value === "primary" || value === "danger" ? value : "default";

function templateCard(params: Record<string, string>): CardView {
  const view: CardView = { color: TONE_COLOR[params.tone ?? ""] ?? "plain", fields: [], buttons: [] };
  if (params.title) view.title = params.title;
  if (params.content) view.markdown = params.content;
  if (params.note) view.note = params.note;
  const buttons = parseJson(params.buttons);
  for (const button of Array.isArray(buttons) ? buttons.filter(isRecord) : []) {
    view.buttons.push({
      label: stringOf(button.text) ?? "",
      style: style(button.style),
      click: { kind: "callback", data: { action: button.action, value: button.value } },
    });
  }
  const form = parseJson(params.form);
  if (isRecord(form) && Array.isArray(form.inputs)) {
    view.form = {
      inputs: form.inputs.filter(isRecord).map(
        (input): InputView => ({
          name: stringOf(input.name) ?? "",
          label: stringOf(input.label) ?? "",
          type: (stringOf(input.type) ?? "text") as InputView["type"],
          required: input.required === true,
          ...(typeof input.placeholder === "string" && { placeholder: input.placeholder }),
          ...(typeof input.initial === "string" && { initial: input.initial }),
          ...(Array.isArray(input.options) && { options: input.options as InputView["options"] }),
        }),
      ),
      submit: {
        label: stringOf(form.submitLabel) ?? "OK",
        style: "primary",
        click: { kind: "callback", data: { action: form.action, value: form.value } },
      },
    };
  }
  return view;
}

/** A `dtmd://dingtalkclient/sendMessage?content=…` link posts its text as the user; other links do nothing here. */
function linkButton(label: string, url: string | undefined): ButtonView {
  const button: ButtonView = { label, style: "default" };
  if (url?.startsWith("dtmd://dingtalkclient/sendMessage?")) {
    const text = new URL(url).searchParams.get("content");
    if (text) button.click = { kind: "message", text };
  }
  return button;
}

function robotMessage(msgKey: string, param: Record<string, unknown>): MessageView {
  const text = (key: string) => stringOf(param[key]) ?? "";
  if (msgKey === "sampleText") return textView(text("content"));
  const view: CardView = { title: text("title"), color: "plain", fields: [], buttons: [] };
  if (text("text")) view.markdown = text("text");
  if (param.singleTitle) view.buttons.push(linkButton(text("singleTitle"), text("singleURL")));
  for (let n = 1; param[`actionTitle${n}`] !== undefined; n++)
    view.buttons.push(linkButton(text(`actionTitle${n}`), text(`actionURL${n}`)));
  return { kind: "card", card: view };
}

export function dingtalkView(payload: unknown): MessageView {
  if (!isRecord(payload)) return textView("");
  if (payload.kind === "card" && isRecord(payload.cardParamMap))
    return { kind: "card", card: templateCard(payload.cardParamMap as Record<string, string>) };
  const param = parseJson(payload.msgParam);
  return robotMessage(String(payload.msgKey), isRecord(param) ? param : {});
}
