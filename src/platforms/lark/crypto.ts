// Lark webhook crypto: the `{"encrypt"}` body cipher and the X-Lark-Signature digest, on injected primitives.
import { type CryptoPrimitives, perSecret } from "../shared/crypto-primitives.ts";
import { base64Decode, hexEncode, utf8Decode, utf8Encode } from "../shared/web-crypto.ts";

const BLOCK = 16;

/**
 * The AES key derived from an Encrypt Key (its SHA-256), imported once: deriving and importing it on every
 * request cost more than the decryption itself. Keyed by the Encrypt Key, so a rotated key gets its own entry.
 */
const cipherKey = perSecret(async (primitives, encryptKey) =>
  primitives.aesCbcKey(await primitives.sha256(utf8Encode(encryptKey))),
);

/**
 * Decrypts an `encrypt` value: base64(iv ‖ AES-256-CBC(SHA-256(encryptKey), iv, PKCS#7(plain))).
 * Throws on anything that is not base64, not whole blocks, badly padded or not UTF-8.
 */
export async function larkDecrypt(
  primitives: CryptoPrimitives,
  encryptKey: string,
  encrypted: string,
): Promise<string> {
  const blob = base64Decode(encrypted);
  if (blob.length < 2 * BLOCK || blob.length % BLOCK !== 0)
    throw new Error("cipher text is not whole blocks");
  // Lark pads with PKCS#7 on 16-byte blocks, which the primitives check and strip.
  const key = await cipherKey(primitives, encryptKey);
  return utf8Decode(await key.decrypt(blob.subarray(0, BLOCK), blob.subarray(BLOCK)));
}

/** hex(SHA-256(timestamp + nonce + encryptKey ‖ raw body bytes)), as Lark computes X-Lark-Signature. */
export async function larkSignature(
  primitives: CryptoPrimitives,
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Uint8Array,
): Promise<string> {
  const prefix = utf8Encode(timestamp + nonce + encryptKey);
  const message = new Uint8Array(prefix.length + rawBody.length);
  message.set(prefix);
  message.set(rawBody, prefix.length);
  return hexEncode(await primitives.sha256(message));
}
