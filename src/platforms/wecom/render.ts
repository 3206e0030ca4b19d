// Neutral cards and texts → WeCom message bodies: template_card for interaction, markdown or text otherwise.

import type { Card, CardButton, CardForm, CardTone, OutboundMessage } from "../../chat/card.ts";
import { renderRich, richPlain } from "../../chat/rich-text.ts";
import { hexEncode, sha1, utf8Encode } from "../shared/web-crypto.ts";
import { encodeButtonKey, SETTLED_KEY } from "./button-key.ts";
import { escapeWeComPlainText, escapeWeComText } from "./escape.ts";

/** Who receives the body: app message/send, robot response_url / passive reply, or a group-robot webhook. */
export type WeComChannel = "app" | "bot" | "webhook";

interface TemplateButton {
  text: string;
  style: number;
  key: string;
}

interface SelectList {
  question_key: string;
  title: string;
  selected_id?: string;
  option_list: { id: string; text: string }[];
}

export interface TemplateCard {
  card_type: "button_interaction" | "multiple_interaction";
  main_title: { title: string; desc?: string };
  sub_title_text?: string;
  quote_area?: { type: 0; quote_text: string };
  horizontal_content_list?: { keyname: string; value: string }[];
  button_list?: TemplateButton[];
  select_list?: SelectList[];
  submit_button?: { text: string; key: string };
  /** App update_template_card only (doc 94888): shows the buttons greyed out and unclickable. */
  replace_text?: string;
  task_id: string;
}

export type WeComMessageBody =
  | { msgtype: "text"; text: { content: string } }
  | { msgtype: "markdown"; markdown: { content: string } }
  | { msgtype: "template_card"; template_card: TemplateCard };

/** Byte limits: app text/markdown 2048 (90236), webhook markdown 4096 and text 2048 (99110). */
const MARKDOWN_BYTES: Record<WeComChannel, number> = { app: 2048, bot: 4096, webhook: 4096 };
const TEXT_BYTES = 2048;
/** Template-card limits (90236 / 101032). */
const MAX_BUTTONS = 6;
const MAX_FIELDS = 6;
const MAX_SELECTS = 3;
const MAX_OPTIONS = 10;
/** sub_title_text is "建议不超过112个字"; longer bodies go to the quote area, which wraps. */
const SUBTITLE_CHARS = 112;
const TASK_ID_BYTES = 128;

/**
 * Button styles 1-4 differ by product: the app doc's picture (94888) names 1 强调, 2 次强调, 3 中性, 4 负向;
 * the robot doc's picture (101032) shows 3 as red text and 4 as neutral grey.
 */
const BUTTON_STYLE: Record<"app" | "bot", Record<NonNullable<CardButton["style"]>, number>> = {
  app: { primary: 1, default: 3, danger: 4 },
  bot: { primary: 1, default: 4, danger: 3 },
};

const TONE_COLOR: Record<CardTone, string | undefined> = {
  neutral: undefined,
  info: "info",
  success: "info",
  warning: "warning",
  danger: "warning",
};

/** WeCom cards have no input boxes, so a form with typed inputs becomes this instruction. */
const TYPED_FORM_HINT =
  "企业微信卡片不支持输入框，请直接发送命令 / WeCom cards have no input boxes; type the command:";

/** Cuts `text` to at most `maxBytes` UTF-8 bytes on a character boundary, marking the cut with "…". */
export function truncateBytes(text: string, maxBytes: number): string {
  if (utf8Encode(text).length <= maxBytes) return text;
  const budget = maxBytes - utf8Encode("…").length;
  let used = 0;
  let cut = "";
  for (const char of text) {
    used += utf8Encode(char).length;
    if (used > budget) break;
    cut += char;
  }
  return `${cut}…`;
}

/**
 * A task_id for the card sent under `idempotencyKey`: unique per app/robot as WeCom requires ([A-Za-z0-9_@-],
 * ≤ 128 bytes), and the same on a retry, so a resend of a delivered card is refused (42014) instead of doubled.
 */
export async function taskIdFor(idempotencyKey: string): Promise<string> {
  if (/^[A-Za-z0-9_@-]{1,128}$/.test(idempotencyKey)) return idempotencyKey;
  const digest = hexEncode(await sha1(idempotencyKey));
  const readable = idempotencyKey.replace(/[^A-Za-z0-9_@-]/g, "_");
  return `${readable.slice(0, TASK_ID_BYTES - digest.length - 1)}-${digest}`;
}

function selectableForm(form: CardForm | undefined): form is CardForm {
  return (
    form !== undefined &&
    form.inputs.length > 0 &&
    form.inputs.length <= MAX_SELECTS &&
    form.inputs.every(
      (input) =>
        input.type === "select" &&
        (input.options?.length ?? 0) > 0 &&
        (input.options?.length ?? 0) <= MAX_OPTIONS,
    )
  );
}

function typedFormLines(form: CardForm): string[] {
  return [
    TYPED_FORM_HINT,
    ...form.inputs.map((input) => `• ${input.label}${input.placeholder ? `: ${input.placeholder}` : ""}`),
  ];
}

/** Title, text and fields shared by every template card. */
function cardFrame(
  card: Card,
  extraLines: string[],
): Pick<TemplateCard, "main_title" | "sub_title_text" | "quote_area" | "horizontal_content_list"> {
  const fields = card.fields ?? [];
  const overflow = fields.slice(MAX_FIELDS).map((field) => `${field.label}: ${field.value}`);
  const body = [card.markdown ? richPlain(card.markdown).trim() : "", ...overflow, ...extraLines]
    .filter(Boolean)
    .join("\n");
  return {
    main_title: { title: card.title, ...(card.note && { desc: card.note }) },
    ...(body &&
      (body.length <= SUBTITLE_CHARS
        ? { sub_title_text: body }
        : { quote_area: { type: 0, quote_text: body } })),
    ...(fields.length > 0 && {
      horizontal_content_list: fields
        .slice(0, MAX_FIELDS)
        .map((field) => ({ keyname: field.label, value: field.value })),
    }),
  };
}

/** The interactive template card for `card`, or null when it has nothing to click (then markdown serves). */
function interactiveCard(card: Card, channel: "app" | "bot", taskId: string): TemplateCard | null {
  const { form } = card;
  if (selectableForm(form)) {
    return {
      card_type: "multiple_interaction",
      ...cardFrame(card, []),
      select_list: form.inputs.map((input) => {
        const options = input.options ?? [];
        return {
          question_key: input.name,
          title: input.label,
          ...(input.initial &&
            options.some((option) => option.value === input.initial) && { selected_id: input.initial }),
          option_list: options.map((option) => ({ id: option.value, text: option.label })),
        };
      }),
      submit_button: { text: form.submitLabel, key: encodeButtonKey(form.action, form.value) },
      task_id: taskId,
    };
  }
  const buttons = card.buttons ?? [];
  if (buttons.length === 0) return null;
  return {
    card_type: "button_interaction",
    ...cardFrame(card, form ? typedFormLines(form) : []),
    button_list: buttons.slice(0, MAX_BUTTONS).map((button) => ({
      text: button.label,
      style: BUTTON_STYLE[channel][button.style ?? "default"],
      key: encodeButtonKey(button.action, button.value),
    })),
    task_id: taskId,
  };
}

/**
 * The card that replaces a clicked one. A card with nothing left to click still has to be a template card, and
 * text_notice needs a jump URL (card_action, else 42045), so it becomes a button_interaction card with one inert
 * neutral button (greyed out for the app via replace_text).
 */
export function renderReplacementCard(card: Card, channel: "app" | "bot", taskId: string): TemplateCard {
  const interactive = interactiveCard(card, channel, taskId);
  if (interactive) return interactive;
  return {
    card_type: "button_interaction",
    ...cardFrame(card, card.form ? typedFormLines(card.form) : []),
    button_list: [{ text: "✓", style: BUTTON_STYLE[channel].default, key: SETTLED_KEY }],
    ...(channel === "app" && { replace_text: "✓" }),
    task_id: taskId,
  };
}

/** WeCom markdown for a card: the group webhook's only card form, and the app's for cards without buttons. */
export function renderCardMarkdown(card: Card, maxBytes: number): string {
  const color = TONE_COLOR[card.tone];
  const text = escapeWeComText;
  const title = `**${text(card.title)}**`;
  const lines = [color ? `<font color="${color}">${title}</font>` : title];
  if (card.markdown) lines.push(renderRich(card.markdown, text).trim());
  for (const field of card.fields ?? []) lines.push(`**${text(field.label)}:** ${text(field.value)}`);
  if (card.form && !selectableForm(card.form)) lines.push(...typedFormLines(card.form).map(text));
  if (card.withoutButtons && card.buttons?.length) lines.push(text(card.withoutButtons));
  if (card.note) lines.push(`<font color="comment">${text(card.note)}</font>`);
  return truncateBytes(lines.join("\n"), maxBytes);
}

/**
 * The body for one outbound message. `taskId` names the card when it becomes a template card. The robot's
 * response_url takes only markdown and template_card (101138), so its texts go as markdown.
 */
export function renderMessage(
  message: OutboundMessage,
  channel: WeComChannel,
  taskId: string,
): WeComMessageBody {
  if (message.type === "text") {
    return channel === "bot"
      ? {
          msgtype: "markdown",
          markdown: { content: truncateBytes(escapeWeComText(message.text), MARKDOWN_BYTES.bot) },
        }
      : { msgtype: "text", text: { content: truncateBytes(escapeWeComPlainText(message.text), TEXT_BYTES) } };
  }
  const interactive = channel === "webhook" ? null : interactiveCard(message.card, channel, taskId);
  if (interactive) return { msgtype: "template_card", template_card: interactive };
  return {
    msgtype: "markdown",
    markdown: { content: renderCardMarkdown(message.card, MARKDOWN_BYTES[channel]) },
  };
}
