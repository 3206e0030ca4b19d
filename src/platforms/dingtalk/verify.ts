// DingTalk request verification on injected crypto primitives: the robot `timestamp`/`sign` headers and the card `x-ddpaas-*` headers.
import { WebhookError } from "../errors.ts";
import type { CryptoPrimitives } from "../shared/crypto-primitives.ts";
import { base64Encode, utf8Encode } from "../shared/web-crypto.ts";

/** DingTalk rejects signatures more than one hour away from its clock; we apply the same window both ways. */
const MAX_SKEW_MS = 60 * 60 * 1000;

/** base64(HMAC-SHA256(key = clientSecret, data = timestamp + "\n" + clientSecret)): the robot message `sign`. */
export async function dingtalkRobotSign(
  primitives: CryptoPrimitives,
  timestamp: string,
  clientSecret: string,
): Promise<string> {
  return base64Encode(
    await primitives.hmacSha256(utf8Encode(clientSecret), utf8Encode(`${timestamp}\n${clientSecret}`)),
  );
}

/** base64(HMAC-SHA256(key = apiSecret, data = timestamp)): the card callback `x-ddpaas-signature`. */
export async function dingtalkCardSign(
  primitives: CryptoPrimitives,
  timestamp: string,
  apiSecret: string,
): Promise<string> {
  return base64Encode(await primitives.hmacSha256(utf8Encode(apiSecret), utf8Encode(timestamp)));
}

function requireHeader(headers: Headers, name: string): string {
  const value = headers.get(name)?.trim();
  if (!value) throw new WebhookError("missing_signature", `header ${name} is missing`);
  return value;
}

/**
 * Milliseconds since the epoch from a signature timestamp. The card callback docs do not say whether their
 * timestamp is in seconds or milliseconds (the signature covers the string as sent either way), so a
 * 10-digit value is read as seconds.
 */
function timestampMs(raw: string): number {
  if (!/^\d{1,16}$/.test(raw)) throw new WebhookError("stale_timestamp", "timestamp is not a number");
  const value = Number(raw);
  return raw.length <= 10 ? value * 1000 : value;
}

function assertFresh(raw: string, now: Date): void {
  if (Math.abs(now.getTime() - timestampMs(raw)) > MAX_SKEW_MS)
    throw new WebhookError("stale_timestamp", "timestamp is more than one hour away from now");
}

async function assertSigned(
  primitives: CryptoPrimitives,
  expected: Promise<string>,
  given: string,
): Promise<void> {
  if (!primitives.timingSafeEqual(await expected, given))
    throw new WebhookError("bad_signature", "signature differs");
}

/**
 * Checks a robot message request (route "") and returns its signed pair "timestamp:sign". The signature covers
 * only the timestamp and the secret, not the body: DingTalk signs it that way, so a captured pair could carry
 * another body within the hour; the app takes new bodies under a pair only just after its first use, as two
 * messages DingTalk signs in the same millisecond share it (signature-uses.ts).
 */
export async function verifyRobotRequest(
  primitives: CryptoPrimitives,
  headers: Headers,
  clientSecret: string,
  now: Date,
): Promise<string> {
  if (!clientSecret) throw new WebhookError("missing_signature", "client secret is not configured");
  const timestamp = requireHeader(headers, "timestamp");
  const sign = requireHeader(headers, "sign");
  assertFresh(timestamp, now);
  await assertSigned(primitives, dingtalkRobotSign(primitives, timestamp, clientSecret), sign);
  return `${timestamp}:${sign}`;
}

/**
 * Checks a card callback request (route "cards") and returns its signature timestamp (and the signed pair, which
 * like the robot's covers no body), which is also the only
 * per-click value DingTalk sends and so part of the dedup key. Without a configured secret nothing can be
 * verified, so the request is refused: DingTalk only signs callbacks whose route was registered with an
 * apiSecret, and an unsigned callback could be forged by anyone who knows the URL.
 */
export async function verifyCardCallback(
  primitives: CryptoPrimitives,
  headers: Headers,
  apiSecret: string | undefined,
  now: Date,
): Promise<{ timestamp: string; pair: string }> {
  if (!apiSecret)
    throw new WebhookError("missing_signature", "DINGTALK_CARD_CALLBACK_SECRET is not set; cannot verify");
  const timestamp = requireHeader(headers, "x-ddpaas-signature-timestamp");
  const signature = requireHeader(headers, "x-ddpaas-signature");
  assertFresh(timestamp, now);
  await assertSigned(primitives, dingtalkCardSign(primitives, timestamp, apiSecret), signature);
  return { timestamp, pair: `${timestamp}:${signature}` };
}
