// Verifies one Lark webhook request (signature, timestamp, verification token) and opens its envelope.
import type { LarkConfig } from "../../config/parse-env.ts";
import { WebhookError } from "../errors.ts";
import type { CryptoPrimitives } from "../shared/crypto-primitives.ts";
import { utf8Decode } from "../shared/web-crypto.ts";
import type { WebhookRequest } from "../types.ts";
import { larkDecrypt, larkSignature } from "./crypto.ts";

/** Lark does not document a replay window; an hour either way still covers its clock skew. */
const MAX_SKEW_MS = 60 * 60 * 1000;

/** A decrypted, token-checked Lark body: a schema 2.0 envelope, a v1 event or a url_verification. */
export type LarkEnvelope = Record<string, unknown>;

export type LarkVerified =
  | { kind: "challenge"; challenge: string }
  | { kind: "envelope"; envelope: LarkEnvelope };

type LarkSecrets = Pick<LarkConfig, "verificationToken" | "encryptKey">;

interface SignatureHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
}

function signatureHeaders(headers: Headers): SignatureHeaders | undefined {
  const timestamp = headers.get("x-lark-request-timestamp");
  const nonce = headers.get("x-lark-request-nonce");
  const signature = headers.get("x-lark-signature");
  if (!timestamp || !nonce || !signature) return undefined;
  return { timestamp, nonce, signature };
}

async function checkSignature(
  primitives: CryptoPrimitives,
  request: WebhookRequest,
  encryptKey: string,
  signed: SignatureHeaders,
) {
  if (!/^\d{1,12}$/.test(signed.timestamp))
    throw new WebhookError("stale_timestamp", "X-Lark-Request-Timestamp is not a number of seconds");
  const skew = Number(signed.timestamp) * 1000 - request.now.getTime();
  if (skew < -MAX_SKEW_MS) throw new WebhookError("stale_timestamp", "request timestamp is over an hour old");
  if (skew > MAX_SKEW_MS)
    throw new WebhookError("stale_timestamp", "request timestamp is over an hour ahead");
  const expected = await larkSignature(primitives, signed.timestamp, signed.nonce, encryptKey, request.body);
  if (!primitives.timingSafeEqual(expected, signed.signature.toLowerCase()))
    throw new WebhookError("bad_signature", "X-Lark-Signature does not match the body");
}

function parseObject(text: string, what: string): LarkEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WebhookError("malformed", `${what} is not JSON`, { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new WebhookError("malformed", `${what} is not a JSON object`);
  return value as LarkEnvelope;
}

/** Parses the raw body and, for `{"encrypt"}` bodies, decrypts it. */
async function openBody(
  primitives: CryptoPrimitives,
  body: Uint8Array,
  encryptKey: string | undefined,
): Promise<LarkEnvelope> {
  let text: string;
  try {
    text = utf8Decode(body);
  } catch (error) {
    throw new WebhookError("malformed", "body is not UTF-8", { cause: error });
  }
  const outer = parseObject(text, "body");
  if (!("encrypt" in outer)) return outer;
  if (!encryptKey) throw new WebhookError("bad_token", "encrypted body but no Encrypt Key is configured");
  if (typeof outer.encrypt !== "string") throw new WebhookError("malformed", "encrypt is not a string");
  let plain: string;
  try {
    plain = await larkDecrypt(primitives, encryptKey, outer.encrypt);
  } catch (error) {
    throw new WebhookError("malformed", "encrypt does not decrypt", { cause: error });
  }
  return parseObject(plain, "decrypted body");
}

/** Schema 2.0 carries the Verification Token in header.token; v1 events and url_verification at the top. */
function checkToken(primitives: CryptoPrimitives, envelope: LarkEnvelope, verificationToken: string) {
  const holder =
    envelope.schema === "2.0" ? (envelope.header as Record<string, unknown> | undefined) : envelope;
  const token = holder?.token;
  if (typeof token !== "string" || !primitives.timingSafeEqual(token, verificationToken))
    throw new WebhookError("bad_token", "verification token does not match");
}

/**
 * Authenticates a request to the Lark webhook and returns its envelope (or the challenge to echo).
 * With an Encrypt Key the signature is checked on the raw bytes before anything is parsed; only a
 * url_verification may come without one (Lark does not sign it), and it must still carry the token.
 */
export async function verifyLarkRequest(
  primitives: CryptoPrimitives,
  request: WebhookRequest,
  secrets: LarkSecrets,
): Promise<LarkVerified> {
  let envelope: LarkEnvelope;
  if (secrets.encryptKey) {
    const signed = signatureHeaders(request.headers);
    if (signed) {
      await checkSignature(primitives, request, secrets.encryptKey, signed);
      envelope = await openBody(primitives, request.body, secrets.encryptKey);
    } else {
      // Only a url_verification may come unsigned; why the body did not open as one stays with the refusal.
      let unsigned: LarkEnvelope | undefined;
      let failure: unknown;
      try {
        unsigned = await openBody(primitives, request.body, secrets.encryptKey);
      } catch (error) {
        failure = error;
      }
      if (unsigned?.type !== "url_verification")
        throw new WebhookError(
          "missing_signature",
          "X-Lark-Signature headers are missing",
          failure === undefined ? undefined : { cause: failure },
        );
      envelope = unsigned;
    }
  } else {
    envelope = await openBody(primitives, request.body, undefined);
  }
  checkToken(primitives, envelope, secrets.verificationToken);
  if (envelope.type === "url_verification") {
    if (typeof envelope.challenge !== "string")
      throw new WebhookError("malformed", "url_verification without a challenge");
    return { kind: "challenge", challenge: envelope.challenge };
  }
  return { kind: "envelope", envelope };
}
