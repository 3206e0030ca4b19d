// Neutral messages → DingTalk shapes: card-template params, robot JSON (markdown / actionCard / text) and msgKey form.
//
// Card template contract (DINGTALK_CARD_TEMPLATE_ID): build the template in the DingTalk card builder with
// these string variables, all public (cardData) except `toast`:
//   title    card title
//   tone     neutral | info | success | warning | danger (colour the header by it)
//   content  markdown: the fields ("**label**: value" lines) then the card's markdown
//   note     small grey footer line, may be ""
//   buttons  JSON array (loop variable) of { text, style: primary|danger|default, action, value }, where
//            `value` is itself a JSON string; each button's click is 回传请求 with params
//            { "action": item.action, "value": item.value }
//   form     JSON object { action, value, submitLabel, inputs: [{ name, label, type: text|number|date|select,
//            required, placeholder, initial, options: [{ value, label }] }] } or ""; the submit button is
//            回传请求 with params { "action": form.action, "value": form.value, <input name>: <input value> … }
//   toast    (private data of the clicking user) a short result line after a click, may be ""
import type { ActionResult, Card, CardButton, CardForm, CardTone, OutboundMessage } from "../../chat/card.ts";
import { renderRich } from "../../chat/rich-text.ts";
import { actionText, sendMessageLink } from "./action-link.ts";
import { escapeDingTalkText } from "./escape.ts";

/** DingTalk refuses a cardParamMap value over 1 KB, and the update then silently fails. */
const CARD_PARAM_MAX_BYTES = 1024;
/** `msgParam` may hold 15 000 bytes; leave room for the title, buttons and JSON escaping. */
const MARKDOWN_MAX_BYTES = 12_000;
/** The groupMessages API has actionCard forms for at most five buttons (sampleActionCard2…5). */
const MAX_CARD_BUTTONS = 5;

export type RobotMessage =
  | { msgtype: "text"; text: { content: string } }
  | { msgtype: "markdown"; markdown: { title: string; text: string } }
  | {
      msgtype: "actionCard";
      actionCard: {
        title: string;
        text: string;
        btnOrientation: "0";
        btns: { title: string; actionURL: string }[];
      };
    };

const byteLength = (text: string): number => new TextEncoder().encode(text).length;

function truncateUtf8(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) return text;
  let kept = "";
  let bytes = byteLength("…");
  for (const char of text) {
    bytes += byteLength(char);
    if (bytes > maxBytes) break;
    kept += char;
  }
  return `${kept}…`;
}

/** DingTalk markdown needs "  \n  " for a line break inside a block (DT-0791). */
const hardBreaks = (text: string): string => text.split("\n").join("  \n  ");

const asText = escapeDingTalkText;

const fieldLines = (card: Card): string[] =>
  (card.fields ?? []).map((field) => `**${asText(field.label)}**: ${asText(field.value)}`);

function formLines(form: CardForm): string[] {
  return form.inputs.map((input) => {
    const hints = [
      input.required ? "required" : "",
      input.placeholder ?? "",
      input.options ? input.options.map((option) => option.label).join(" / ") : "",
    ].filter(Boolean);
    return `- **${asText(input.label)}**${hints.length ? `: ${asText(hints.join(", "))}` : ""}`;
  });
}

/** The card body as one markdown text: fields, then markdown (and a form's inputs, which chat cannot fill). */
function bodyMarkdown(card: Card, options: { withForm: boolean }): string {
  const blocks = [
    fieldLines(card).join("\n"),
    card.markdown ? renderRich(card.markdown, asText) : "",
    options.withForm && card.form ? formLines(card.form).join("\n") : "",
  ].filter(Boolean);
  return blocks.map(hardBreaks).join("\n\n");
}

const TONE_MARK: Record<CardTone, string> = {
  neutral: "",
  info: "ℹ️ ",
  success: "✅ ",
  warning: "⚠️ ",
  danger: "🚨 ",
};

const buttonLink = (button: CardButton): string => sendMessageLink(actionText(button.action, button.value));

/**
 * A card without a template: markdown, or an actionCard whose buttons are `dtmd://` links that post the
 * reserved action text (action-link.ts). Buttons beyond five become links in the text. The platform has no
 * confirm step for such links; the action handler re-checks everything server side anyway.
 */
function renderCardMessage(card: Card): RobotMessage {
  const buttons = card.buttons ?? [];
  const overflow = buttons
    .slice(MAX_CARD_BUTTONS)
    .map((button) => `[${asText(button.label)}](${buttonLink(button)})`);
  const blocks = [
    `#### ${TONE_MARK[card.tone]}${asText(card.title)}`,
    bodyMarkdown(card, { withForm: true }),
    overflow.join(" · "),
    buttons.length > 0 && card.withoutButtons ? asText(card.withoutButtons) : "",
    card.note ? `> ${asText(card.note)}` : "",
  ].filter(Boolean);
  const text = truncateUtf8(blocks.join("\n\n"), MARKDOWN_MAX_BYTES);
  if (buttons.length === 0) return { msgtype: "markdown", markdown: { title: card.title, text } };
  return {
    msgtype: "actionCard",
    actionCard: {
      title: card.title,
      text,
      btnOrientation: "0",
      btns: buttons
        .slice(0, MAX_CARD_BUTTONS)
        .map((button) => ({ title: button.label, actionURL: buttonLink(button) })),
    },
  };
}

/** The robot JSON for sessionWebhook replies; `toRobotApiParams` turns it into the server-API form. */
export function renderRobotMessage(message: OutboundMessage): RobotMessage {
  return message.type === "text"
    ? { msgtype: "text", text: { content: message.text } }
    : renderCardMessage(message.card);
}

/** The same message for `/v1.0/robot/groupMessages/send` and `oToMessages/batchSend`: msgKey + msgParam string. */
export function toRobotApiParams(message: RobotMessage): { msgKey: string; msgParam: string } {
  const params = (msgKey: string, param: Record<string, string>) => ({
    msgKey,
    msgParam: JSON.stringify(param),
  });
  switch (message.msgtype) {
    case "text":
      return params("sampleText", { content: message.text.content });
    case "markdown":
      return params("sampleMarkdown", { title: message.markdown.title, text: message.markdown.text });
    case "actionCard": {
      const { title, text, btns } = message.actionCard;
      const [only] = btns;
      if (btns.length === 1 && only)
        return params("sampleActionCard", {
          title,
          text,
          singleTitle: only.title,
          singleURL: only.actionURL,
        });
      const numbered = btns.flatMap((button, index) => [
        [`actionTitle${index + 1}`, button.title],
        [`actionURL${index + 1}`, button.actionURL],
      ]);
      return params(`sampleActionCard${btns.length}`, { title, text, ...Object.fromEntries(numbered) });
    }
  }
}

const formParam = (form: CardForm): string =>
  JSON.stringify({
    action: form.action,
    value: JSON.stringify(form.value ?? {}),
    submitLabel: form.submitLabel,
    inputs: form.inputs,
  });

/**
 * The cardParamMap for the template above, or null when a value would exceed DingTalk's 1 KB limit; the
 * caller then sends the card as a robot message instead of truncating it.
 */
export function renderCardParams(card: Card): Record<string, string> | null {
  const params: Record<string, string> = {
    title: card.title,
    tone: card.tone,
    content: bodyMarkdown(card, { withForm: false }),
    note: card.note ?? "",
    buttons: JSON.stringify(
      (card.buttons ?? []).map((button) => ({
        text: button.label,
        style: button.style ?? "default",
        action: button.action,
        value: JSON.stringify(button.value ?? {}),
      })),
    ),
    form: card.form ? formParam(card.form) : "",
  };
  return Object.values(params).every((value) => byteLength(value) <= CARD_PARAM_MAX_BYTES) ? params : null;
}

/**
 * The synchronous answer to a card callback (within 2 s): the new public data by key, and the toast as the
 * clicking user's private data (DingTalk applies `userPrivateData` to that user; it must not be keyed by id).
 * Null when the new card does not fit a template; the caller then sends the update through the outbox.
 */
export function renderCardCallbackAnswer(result: ActionResult): Record<string, unknown> | null {
  const answer: Record<string, unknown> = {
    cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
  };
  if (result.card) {
    const cardParamMap = renderCardParams(result.card);
    if (!cardParamMap) return null;
    answer.cardData = { cardParamMap };
  }
  if (result.toast)
    answer.userPrivateData = {
      cardParamMap: { toast: truncateUtf8(result.toast.text, CARD_PARAM_MAX_BYTES) },
    };
  return answer;
}

/** A DING's content holds plain text only; the rest of the notice is in the message the DING points to. */
const DING_CONTENT_MAX_BYTES = 1000;

/** The plain text of a DING about a message: a text as it is, a card's title and its fields. */
export function dingContent(message: OutboundMessage): string {
  const text =
    message.type === "text"
      ? message.text
      : [
          message.card.title,
          ...(message.card.fields ?? []).map(({ label, value }) => `${label}: ${value}`),
        ].join("\n");
  return truncateUtf8(text, DING_CONTENT_MAX_BYTES);
}
