// Renders neutral cards and texts as Lark message content: Card JSON 2.0 (kept under 30 KB) or msg_type text.

import type { Card, CardButton, CardForm, CardTone, FormInput, OutboundMessage } from "../../chat/card.ts";
import { renderRich } from "../../chat/rich-text.ts";
import { utf8Encode } from "../shared/web-crypto.ts";
import { escapeLarkMarkdown, escapeLarkText } from "./escape.ts";

type Json = Record<string, unknown>;

/** Lark rejects interactive content over 30 KB; stay a little below it. */
const MAX_CARD_BYTES = 30 * 1024 - 512;
const TRUNCATED = "\n…";

const TEMPLATE: Record<CardTone, string> = {
  neutral: "grey",
  info: "blue",
  success: "green",
  warning: "orange",
  danger: "red",
};

// Form component names must be unique across the card; the prefix keeps ours apart from handlers' input names.
const FORM_NAME = "opsbot_form";
const SUBMIT_NAME = "opsbot_submit";

const plain = (content: string): Json => ({ tag: "plain_text", content });
const textBlock = (content: string, extra: Json = {}): Json => ({
  tag: "div",
  text: { ...plain(content), ...extra },
});

function fieldRows(fields: Card["fields"]): Json[] {
  const rows: Json[] = [];
  const list = fields ?? [];
  for (let i = 0; i < list.length; i += 2) {
    rows.push({
      tag: "column_set",
      columns: list.slice(i, i + 2).map((field) => ({
        tag: "column",
        width: "weighted",
        weight: 1,
        elements: [
          textBlock(field.label, { text_color: "grey", text_size: "notation" }),
          textBlock(field.value),
        ],
      })),
    });
  }
  return rows;
}

const callbackValue = (action: string, value: Record<string, string> | undefined) => ({ ...value, action });

function button(spec: CardButton): Json {
  const rendered: Json = {
    tag: "button",
    type: spec.style ?? "default",
    text: plain(spec.label),
    behaviors: [{ type: "callback", value: callbackValue(spec.action, spec.value) }],
  };
  if (spec.confirm) rendered.confirm = { title: plain(spec.label), text: plain(spec.confirm) };
  return rendered;
}

/** Buttons side by side: 2.0 has no action module, so each sits in an auto-width column. */
const buttonRow = (buttons: Json[]): Json => ({
  tag: "column_set",
  flex_mode: "flow",
  columns: buttons.map((rendered) => ({ tag: "column", width: "auto", elements: [rendered] })),
});

function formInput(input: FormInput): Json[] {
  const common: Json = { name: input.name, required: input.required ?? false };
  if (input.placeholder) common.placeholder = plain(input.placeholder);
  switch (input.type) {
    case "text":
    case "number": {
      const field: Json = { tag: "input", ...common, label: plain(input.label), input_type: "text" };
      if (input.initial) field.default_value = input.initial;
      return [field];
    }
    case "date": {
      const field: Json = { tag: "date_picker", ...common };
      if (input.initial) field.initial_date = input.initial;
      return [textBlock(input.label), field];
    }
    case "select": {
      const field: Json = {
        tag: "select_static",
        ...common,
        options: (input.options ?? []).map((option) => ({ text: plain(option.label), value: option.value })),
      };
      if (input.initial) field.initial_option = input.initial;
      return [textBlock(input.label), field];
    }
  }
}

function form(spec: CardForm): Json {
  const submit: Json = {
    tag: "button",
    name: SUBMIT_NAME,
    form_action_type: "submit",
    type: "primary",
    text: plain(spec.submitLabel),
    behaviors: [{ type: "callback", value: callbackValue(spec.action, spec.value) }],
  };
  return { tag: "form", name: FORM_NAME, elements: [...spec.inputs.flatMap(formInput), submit] };
}

/** A card whose markdown is already rendered to Lark's syntax, user text escaped. */
type LarkCard = Omit<Card, "markdown"> & { markdown: string };

function cardJson(card: LarkCard): Json {
  const elements: Json[] = [...fieldRows(card.fields)];
  if (card.markdown) elements.push({ tag: "markdown", content: card.markdown });
  if (card.form) elements.push(form(card.form));
  if (card.buttons?.length) elements.push(buttonRow(card.buttons.map(button)));
  if (card.note) elements.push(textBlock(card.note, { text_color: "grey", text_size: "notation" }));
  return {
    schema: "2.0",
    config: { update_multi: true, summary: { content: card.title } },
    header: { title: plain(card.title), template: TEMPLATE[card.tone] },
    body: { elements },
  };
}

const byteLength = (value: unknown): number => utf8Encode(JSON.stringify(value)).length;

/**
 * Shortens a card that would exceed Lark's 30 KB: the markdown first (the usual bulk: lists), then the
 * trailing fields. Title, buttons and form stay intact, since they carry the actions.
 */
function fitted(card: LarkCard): LarkCard {
  let current = card;
  for (
    let size = byteLength(cardJson(current));
    size > MAX_CARD_BYTES;
    size = byteLength(cardJson(current))
  ) {
    const excess = size - MAX_CARD_BYTES;
    const markdown = current.markdown;
    const body = markdown.endsWith(TRUNCATED) ? markdown.slice(0, -TRUNCATED.length) : markdown;
    if (body.length > 0) {
      // Every character costs at least one byte of JSON, so dropping `excess` characters (plus room for
      // the marker) is enough; the loop only repeats when escapes made the estimate short.
      let keep = Math.max(0, body.length - excess - 8);
      if (/[\uD800-\uDBFF]/.test(body.charAt(keep - 1))) keep--; // never split a surrogate pair
      current = { ...current, markdown: body.slice(0, keep) + TRUNCATED };
    } else if (current.fields?.length) {
      // Fields are then most of the card: drop the share of them that the excess is of the whole.
      const drop = Math.max(1, Math.ceil((current.fields.length * excess) / size));
      current = { ...current, fields: current.fields.slice(0, -drop) };
    } else {
      break;
    }
  }
  return current;
}

/** The Card JSON 2.0 object for a neutral card. */
export function renderLarkCard(card: Card): Json {
  const markdown = card.markdown ? renderRich(card.markdown, escapeLarkMarkdown) : "";
  return cardJson(fitted({ ...card, markdown }));
}

/** A plain text as a 2.0 card, for replacing a card with words. */
export const textCard = (text: string): Json => ({
  schema: "2.0",
  config: { update_multi: true },
  body: { elements: [textBlock(text)] },
});

export interface LarkContent {
  msg_type: "text" | "interactive";
  /** The content JSON as a string, as every message endpoint wants it. */
  content: string;
}

export function renderLarkMessage(message: OutboundMessage): LarkContent {
  return message.type === "text"
    ? { msg_type: "text", content: JSON.stringify({ text: escapeLarkText(message.text) }) }
    : { msg_type: "interactive", content: JSON.stringify(renderLarkCard(message.card)) };
}
