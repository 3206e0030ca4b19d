// WeCom callback crypto (docs 91144 / 101033): msg_signature and the AES-256-CBC envelope, on injected primitives.
import { WebhookError } from "../errors.ts";
import { type AesCbcKey, type CryptoPrimitives, perSecret } from "../shared/crypto-primitives.ts";
import { base64Decode, base64Encode, hexEncode, utf8Decode, utf8Encode } from "../shared/web-crypto.ts";

/** WeCom pads to 32-byte blocks, not AES's 16 (PKCS#7 with k = 32). */
const PAD_BLOCK = 32;
const AES_BLOCK = 16;
const RANDOM_PREFIX = 16;
const LENGTH_FIELD = 4;

/** Lowercase hex SHA-1 of the lexicographically sorted [token, timestamp, nonce, encrypt], concatenated. */
export async function wecomSignature(
  primitives: CryptoPrimitives,
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
): Promise<string> {
  return hexEncode(await primitives.sha1(utf8Encode([token, timestamp, nonce, encrypt].sort().join(""))));
}

/** Throws WebhookError("bad_signature") unless `signature` matches, compared in constant time. */
export async function verifyWeComSignature(
  primitives: CryptoPrimitives,
  parts: { token: string; timestamp: string; nonce: string; encrypt: string },
  signature: string,
): Promise<void> {
  const expected = await wecomSignature(primitives, parts.token, parts.timestamp, parts.nonce, parts.encrypt);
  if (!primitives.timingSafeEqual(expected, signature))
    throw new WebhookError("bad_signature", "msg_signature mismatch");
}

/** The AES key an EncodingAESKey stands for, imported once; its first 16 bytes are also the IV. */
const aesKeyOf = perSecret((primitives, encodingAesKey): { key: AesCbcKey; iv: Uint8Array } => {
  const raw = base64Decode(`${encodingAesKey}=`);
  if (raw.length !== 32) throw new Error("EncodingAESKey must decode to 32 bytes");
  return { key: primitives.aesCbcKey(raw), iv: raw.slice(0, 16) };
});

function malformed(reason: string, cause?: unknown): WebhookError {
  return new WebhookError("malformed", reason, cause === undefined ? undefined : { cause });
}

/**
 * Decrypts an `Encrypt` / `echostr` / `encrypt` value and returns the message. The trailing receiveid must equal
 * `expectedReceiveId` (the corp id for a self-built app, "" for the intelligent robot).
 */
export async function decryptWeCom(
  primitives: CryptoPrimitives,
  encodingAesKey: string,
  encrypted: string,
  expectedReceiveId: string,
): Promise<string> {
  const { key, iv } = aesKeyOf(primitives, encodingAesKey);
  let cipherText: Uint8Array;
  try {
    cipherText = base64Decode(encrypted);
  } catch (error) {
    throw malformed("encrypted field is not base64", error);
  }
  if (cipherText.length === 0 || cipherText.length % AES_BLOCK !== 0)
    throw malformed("cipher text is not whole AES blocks");
  const padded = await key.decryptRaw(iv, cipherText);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > PAD_BLOCK) throw malformed("bad padding");
  for (let i = padded.length - pad; i < padded.length; i++) {
    if (padded[i] !== pad) throw malformed("bad padding");
  }
  const plain = padded.subarray(0, padded.length - pad);
  if (plain.length < RANDOM_PREFIX + LENGTH_FIELD) throw malformed("plain text too short");
  const length = new DataView(plain.buffer, plain.byteOffset + RANDOM_PREFIX, LENGTH_FIELD).getUint32(0);
  const messageEnd = RANDOM_PREFIX + LENGTH_FIELD + length;
  if (messageEnd > plain.length) throw malformed("message length exceeds plain text");
  let message: string;
  let receiveId: string;
  try {
    message = utf8Decode(plain.subarray(RANDOM_PREFIX + LENGTH_FIELD, messageEnd));
    receiveId = utf8Decode(plain.subarray(messageEnd));
  } catch (error) {
    throw malformed("plain text is not UTF-8", error);
  }
  if (!primitives.timingSafeEqual(receiveId, expectedReceiveId))
    throw new WebhookError("bad_receiver", "receiveid does not match this app");
  return message;
}

/** Encrypts `message` for a passive reply; `random` (16 bytes) is injectable so tests can pin the output. */
export async function encryptWeCom(
  primitives: CryptoPrimitives,
  encodingAesKey: string,
  message: string,
  receiveId: string,
  random: Uint8Array = crypto.getRandomValues(new Uint8Array(RANDOM_PREFIX)),
): Promise<string> {
  if (random.length !== RANDOM_PREFIX) throw new Error("random prefix must be 16 bytes");
  const { key, iv } = aesKeyOf(primitives, encodingAesKey);
  const messageBytes = utf8Encode(message);
  const receiveIdBytes = utf8Encode(receiveId);
  const rawLength = RANDOM_PREFIX + LENGTH_FIELD + messageBytes.length + receiveIdBytes.length;
  const pad = PAD_BLOCK - (rawLength % PAD_BLOCK);
  const padded = new Uint8Array(rawLength + pad).fill(pad);
  padded.set(random, 0);
  new DataView(padded.buffer).setUint32(RANDOM_PREFIX, messageBytes.length);
  padded.set(messageBytes, RANDOM_PREFIX + LENGTH_FIELD);
  padded.set(receiveIdBytes, RANDOM_PREFIX + LENGTH_FIELD + messageBytes.length);
  return base64Encode(await key.encryptRaw(iv, padded));
}
