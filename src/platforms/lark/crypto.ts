// Lark webhook crypto on Web Crypto: the `{"encrypt"}` body cipher and the X-Lark-Signature digest.
import { base64Decode, hexEncode, sha256, utf8Decode, utf8Encode } from "../shared/web-crypto.ts";

const BLOCK = 16;

/**
 * The AES key derived from an Encrypt Key, imported once: deriving and importing it on every request cost
 * more than the decryption itself. Keyed by the Encrypt Key, so a rotated key gets its own entry.
 */
const cipherKeys = new Map<string, Promise<CryptoKey>>();
function cipherKey(encryptKey: string): Promise<CryptoKey> {
  let key = cipherKeys.get(encryptKey);
  if (!key) {
    key = sha256(encryptKey).then((raw) =>
      crypto.subtle.importKey("raw", raw, { name: "AES-CBC" }, false, ["decrypt"]),
    );
    cipherKeys.set(encryptKey, key);
  }
  return key;
}

/**
 * Decrypts an `encrypt` value: base64(iv ‖ AES-256-CBC(SHA-256(encryptKey), iv, PKCS#7(plain))).
 * Throws on anything that is not base64, not whole blocks, badly padded or not UTF-8.
 */
export async function larkDecrypt(encryptKey: string, encrypted: string): Promise<string> {
  const blob = base64Decode(encrypted);
  if (blob.length < 2 * BLOCK || blob.length % BLOCK !== 0)
    throw new Error("cipher text is not whole blocks");
  // Lark pads with PKCS#7 on 16-byte blocks, which is Web Crypto's own AES-CBC padding: it checks and strips it.
  const plain = await crypto.subtle.decrypt(
    { name: "AES-CBC", iv: blob.slice(0, BLOCK) },
    await cipherKey(encryptKey),
    blob.slice(BLOCK),
  );
  return utf8Decode(new Uint8Array(plain));
}

/** hex(SHA-256(timestamp + nonce + encryptKey ‖ raw body bytes)), as Lark computes X-Lark-Signature. */
export async function larkSignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Uint8Array,
): Promise<string> {
  const prefix = utf8Encode(timestamp + nonce + encryptKey);
  const message = new Uint8Array(prefix.length + rawBody.length);
  message.set(prefix);
  message.set(rawBody, prefix.length);
  return hexEncode(await sha256(message));
}
