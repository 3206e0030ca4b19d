// WeCom callback envelopes: URL verification, opening signed+encrypted requests, sealing passive replies.
import { WebhookError } from "../errors.ts";
import type { CryptoPrimitives } from "../shared/crypto-primitives.ts";
import { utf8Decode } from "../shared/web-crypto.ts";
import type { WebhookRequest } from "../types.ts";
import { decryptWeCom, encryptWeCom, verifyWeComSignature, wecomSignature } from "./crypto.ts";
import { parseWeComXml, refuseDtd, type XmlRecord } from "./xml.ts";

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
async function open(
  primitives: CryptoPrimitives,
  request: WebhookRequest,
  secrets: CallbackSecrets,
  encrypt: string,
): Promise<string> {
  const { signature, timestamp, nonce } = signedQuery(request);
  await verifyWeComSignature(primitives, { token: secrets.token, timestamp, nonce, encrypt }, signature);
  checkFreshness(timestamp, request.now);
  return decryptWeCom(primitives, secrets.encodingAesKey, encrypt, secrets.receiveId);
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
  primitives: CryptoPrimitives,
  request: WebhookRequest,
  secrets: CallbackSecrets,
): Promise<Response> {
  // A missing echostr is signed as "", so it fails the signature check instead of slipping through.
  const echostr = (request.url.searchParams.get("echostr") ?? "").replace(/ /g, "+");
  const plaintext = await open(primitives, request, secrets, echostr);
  return new Response(plaintext, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * The one `encrypt` value of an envelope, found by a linear scan from `key` (no parser runs on an unverified
 * body: a megabyte of sibling elements or keys costs nothing). `value` reads what follows the key; two keys, or
 * none, make the body malformed. Whatever the scan takes must still carry WeCom's signature.
 */
function scanEncrypt(text: string, key: string, value: RegExp): string {
  const at = text.indexOf(key);
  if (at === -1) throw new WebhookError("malformed", `no ${key} in the body`);
  if (text.indexOf(key, at + key.length) !== -1) throw new WebhookError("malformed", `more than one ${key}`);
  value.lastIndex = at + key.length;
  const encrypt = value.exec(text)?.slice(1).find(Boolean);
  if (!encrypt) throw new WebhookError("malformed", `${key} holds no base64 text`);
  return encrypt;
}

/** `<Encrypt><![CDATA[…]]></Encrypt>` or `<Encrypt>…</Encrypt>`, base64 either way. */
const XML_ENCRYPT = /\s*(?:<!\[CDATA\[([A-Za-z0-9+/=]+)\]\]>|([A-Za-z0-9+/=]+))\s*<\/Encrypt>/y;
/** `"encrypt": "…"`, where a JSON encoder may have written "/" as "\/". */
const JSON_ENCRYPT = /\s*:\s*"((?:[A-Za-z0-9+=]|\\?\/)+)"/y;

/**
 * POST from the self-built app: `<xml><Encrypt>…</Encrypt>…</xml>`, returning the decrypted inner XML. The
 * signature covers the Encrypt text only, so it is taken by a bounded scan and verified before any XML parse; the
 * rest of the envelope (ToUserName, AgentID) is never parsed, only scanned for a DTD (refused, signed or not).
 */
export async function openAppCallback(
  primitives: CryptoPrimitives,
  request: WebhookRequest,
  secrets: CallbackSecrets,
): Promise<XmlRecord> {
  const text = bodyText(request);
  refuseDtd(text);
  const encrypt = scanEncrypt(text, "<Encrypt>", XML_ENCRYPT);
  return parseWeComXml(await open(primitives, request, secrets, encrypt));
}

/**
 * POST from the intelligent robot: `{"encrypt": "…"}`, returning the decrypted JSON payload. As for the app,
 * the envelope is scanned, not parsed, before the signature is verified.
 */
export async function openBotCallback(
  primitives: CryptoPrimitives,
  request: WebhookRequest,
  secrets: CallbackSecrets,
): Promise<unknown> {
  const encrypt = scanEncrypt(bodyText(request), '"encrypt"', JSON_ENCRYPT).replace(/\\\//g, "/");
  const plaintext = await open(primitives, request, secrets, encrypt);
  try {
    return JSON.parse(plaintext);
  } catch (error) {
    throw new WebhookError("malformed", "decrypted payload is not JSON", { cause: error });
  }
}

/** An encrypted JSON passive reply for the robot: `{encrypt, msgsignature, timestamp, nonce}` (doc 101033). */
export async function sealBotReply(
  primitives: CryptoPrimitives,
  secrets: CallbackSecrets,
  payload: unknown,
  now: Date,
): Promise<Response> {
  const encrypt = await encryptWeCom(
    primitives,
    secrets.encodingAesKey,
    JSON.stringify(payload),
    secrets.receiveId,
  );
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = String(crypto.getRandomValues(new Uint32Array(1))[0]);
  const msgsignature = await wecomSignature(primitives, secrets.token, timestamp, nonce, encrypt);
  return new Response(JSON.stringify({ encrypt, msgsignature, timestamp, nonce }), {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}
