// A WeCom group robot's webhook as a user pastes it (URL or bare key): checked, made canonical, shown masked.

/** The key WeCom puts in a group robot's webhook URL (a UUID); the same bounds the WeCom adapter accepts. */
const WEBHOOK_KEY = /^[A-Za-z0-9-]{8,128}$/;
const WEBHOOK_PATH = "/cgi-bin/webhook/send";

/** The webhook URL on `apiBase` (WECOM_API_BASE) for one key. */
const webhookUrlFor = (apiBase: URL, key: string): string =>
  `${apiBase.origin}${apiBase.pathname.replace(/\/+$/u, "")}${WEBHOOK_PATH}?key=${key}`;

/**
 * The canonical webhook URL for what the user typed, or undefined when it is neither a bare key nor a webhook
 * URL on WECOM_API_BASE's origin: the bot posts to this URL later, so it must never point anywhere else.
 */
export function parseWeComWebhook(typed: string, apiBase: string): string | undefined {
  const base = new URL(apiBase);
  const text = typed.trim();
  if (WEBHOOK_KEY.test(text)) return webhookUrlFor(base, text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const key = url.searchParams.get("key");
  const expectedPath = `${base.pathname.replace(/\/+$/u, "")}${WEBHOOK_PATH}`;
  if (url.origin !== base.origin || url.pathname !== expectedPath || !key || !WEBHOOK_KEY.test(key))
    return undefined;
  return webhookUrlFor(base, key);
}

/** True for a word that could be a robot's key or webhook URL: such a word is never echoed back. */
export function mayBeWebhook(word: string): boolean {
  return WEBHOOK_KEY.test(word) || URL.canParse(word);
}

/** "…aaaa": enough for people to tell two robots apart, never the key itself (it lets anyone post). */
export function maskWebhook(url: string): string {
  const key = new URL(url).searchParams.get("key") ?? "";
  return `…${key.slice(-4)}`;
}
