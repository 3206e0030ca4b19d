// The reserved chat text that template-less buttons make the client send, and its decoding back into an action.
//
// Without an interactive-card template, DingTalk buttons can only open links. A `dtmd://…/sendMessage` link
// makes the client post a text as the user, so a button posts `/_ <action> <base64url(JSON value)>`. That
// text is decoded here into an InboundAction (never handed to the command router as a command string); the
// value is not trusted for authorisation, which the server re-checks.
import { decodeActionValue, encodeActionValue } from "../shared/action-value.ts";

const PREFIX = "/_ ";

/** The text a button click sends: `/_ <action> <base64url(JSON value)>`. */
export function actionText(action: string, value: Record<string, string> = {}): string {
  return `${PREFIX}${action} ${encodeActionValue(value)}`;
}

/** `dtmd://` link that makes the DingTalk client send `text` in the current chat as the clicking user. */
export function sendMessageLink(text: string): string {
  return `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(text)}`;
}

/** The action carried by a reserved text, or null when the text is not exactly that form. */
export function parseActionText(text: string): { actionId: string; value: Record<string, string> } | null {
  if (!text.startsWith(PREFIX)) return null;
  const match = /^(\S+) ([A-Za-z0-9_-]*)$/.exec(text.slice(PREFIX.length).trim());
  if (!match?.[1] || match[2] === undefined) return null;
  const value = decodeActionValue(match[2]);
  return value ? { actionId: match[1], value } : null;
}
