// The template-card button `key` that carries our {action, value}: `<action>|<base64url(JSON value)>`.
// WeCom echoes it back as EventKey / event_key on a click; the value is never trusted for authorisation.
import { SendError } from "../errors.ts";
import { decodeActionValue, encodeActionValue } from "../shared/action-value.ts";
import { utf8Encode } from "../shared/web-crypto.ts";

/** WeCom's limit for button and submit keys (doc 90236 / 101032: "最长支持1024字节"). */
const MAX_KEY_BYTES = 1024;

/** Key of the inert button on a settled card (see render.ts); clicks on it are ignored. */
export const SETTLED_KEY = "opsbot.settled";

export function encodeButtonKey(action: string, value: Record<string, string> = {}): string {
  const key = Object.keys(value).length > 0 ? `${action}|${encodeActionValue(value)}` : action;
  if (utf8Encode(key).length > MAX_KEY_BYTES)
    throw new SendError("permanent", `button key for ${action} exceeds ${MAX_KEY_BYTES} bytes`);
  return key;
}

/** The action a key carries, or null for keys we did not write (menus, the settled button, foreign cards). */
export function decodeButtonKey(key: string): { actionId: string; value: Record<string, string> } | null {
  if (key === SETTLED_KEY) return null;
  const bar = key.indexOf("|");
  const actionId = bar === -1 ? key : key.slice(0, bar);
  if (!/^[A-Za-z0-9_.:-]+$/.test(actionId)) return null;
  if (bar === -1) return { actionId, value: {} };
  const value = decodeActionValue(key.slice(bar + 1));
  return value ? { actionId, value } : null;
}
