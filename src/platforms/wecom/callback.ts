// WeCom callback envelopes: URL verification, opening signed+encrypted requests, sealing passive replies.
import { WebhookError } from "../errors.ts";
import { utf8Decode } from "../shared/web-crypto.ts";
import type { WebhookRequest } from "../types.ts";
import { decryptWeCom, encryptWeCom, verifyWeComSignature, wecomSignature } from "./crypto.ts";
import { parseWeComXml, type XmlRecord, xmlText } from "./xml.ts";

export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  /** The corp id for the self-built app, "" for the intelligent robot. */
  receiveId: string;
}

/**
 * How far a callback's timestamp may be from our clock. WeCom retries an unanswered callback within seconds
 * (3 tries, 5 s apart, doc 90930); the docs do not say whether a retry keeps the first timestamp, and an hour
 * covers both that and clock skew.
 */
const MAX_SKEW_MS = 60 * 60 * 1000;

interface SignedQuery {
  signature: string;
  timestamp: string;
  nonce: string;
}

function signedQuery(request: WebhookRequest): SignedQuery {
  const params = request.url.searchParams;
  const signature = params.get("msg_signature");
  const timestamp = params.get("timestamp");
  const nonce = params.get("nonce");
  if (!signature || !timestamp || !nonce)
    throw new WebhookError("missing_signature", "msg_signature, timestamp or nonce missing");
  return { signature, timestamp, nonce };
}

function checkFreshness(timestamp: string, now: Date): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookError("stale_timestamp", "timestamp is not a number");
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > MAX_SKEW_MS)
    throw new WebhookError("stale_timestamp", "timestamp more than an hour away");
}

/** Verifies the signature over `encrypt`, checks freshness, and returns the decrypted message. */
async function open(request: WebhookRequest, secrets: CallbackSecrets, encrypt: string): Promise<string> {
  const { signature, timestamp, nonce } = signedQuery(request);
  await verifyWeComSignature({ token: secrets.token, timestamp, nonce, encrypt }, signature);
  checkFreshness(timestamp, request.now);
  return decryptWeCom(secrets.encodingAesKey, encrypt, secrets.receiveId);
}

function bodyText(request: WebhookRequest): string {
  try {
    return utf8Decode(request.body);
  } catch (error) {
    throw new WebhookError("malformed", "body is not UTF-8", { cause: error });
  }
}

/**
 * GET URL verification: answers the decrypted echostr as plain text. URL decoding turns a raw "+" of the base64
 * echostr into a space (WeCom sends %2B, hand-made URLs and some proxies do not), so spaces become "+" again.
 */
export async function answerUrlVerification(
  request: WebhookRequest,
  secrets: CallbackSecrets,
): Promise<Response> {
  // A missing echostr is signed as "", so it fails the signature check instead of slipping through.
  const echostr = (request.url.searchParams.get("echostr") ?? "").replace(/ /g, "+");
  const plaintext = await open(request, secrets, echostr);
  return new Response(plaintext, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** POST from the self-built app: `<xml><Encrypt>…</Encrypt>…</xml>`, returning the decrypted inner XML. */
export async function openAppCallback(request: WebhookRequest, secrets: CallbackSecrets): Promise<XmlRecord> {
  // The signature covers a field inside the body, so the body is parsed first; a body that does not parse is 400.
  const encrypt = xmlText(parseWeComXml(bodyText(request)), "Encrypt");
  if (!encrypt) throw new WebhookError("malformed", "no Encrypt element");
  return parseWeComXml(await open(request, secrets, encrypt));
}

/** POST from the intelligent robot: `{"encrypt": "…"}`, returning the decrypted JSON payload. */
export async function openBotCallback(request: WebhookRequest, secrets: CallbackSecrets): Promise<unknown> {
  let envelope: unknown;
  try {
    envelope = JSON.parse(bodyText(request));
  } catch (error) {
    throw new WebhookError("malformed", "body is not JSON", { cause: error });
  }
  const encrypt = (envelope as { encrypt?: unknown } | null)?.encrypt;
  if (typeof encrypt !== "string" || encrypt === "") throw new WebhookError("malformed", "no encrypt field");
  const plaintext = await open(request, secrets, encrypt);
  try {
    return JSON.parse(plaintext);
  } catch (error) {
    throw new WebhookError("malformed", "decrypted payload is not JSON", { cause: error });
  }
}

/** An encrypted JSON passive reply for the robot: `{encrypt, msgsignature, timestamp, nonce}` (doc 101033). */
export async function sealBotReply(secrets: CallbackSecrets, payload: unknown, now: Date): Promise<Response> {
  const encrypt = await encryptWeCom(secrets.encodingAesKey, JSON.stringify(payload), secrets.receiveId);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = String(crypto.getRandomValues(new Uint32Array(1))[0]);
  const msgsignature = await wecomSignature(secrets.token, timestamp, nonce, encrypt);
  return new Response(JSON.stringify({ encrypt, msgsignature, timestamp, nonce }), {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}
