// Lark webhook crypto on Web Crypto: the `{"encrypt"}` body cipher and the X-Lark-Signature digest.
import {
  aesCbcDecryptRaw,
  base64Decode,
  hexEncode,
  sha256,
  utf8Decode,
  utf8Encode,
} from "../shared/web-crypto.ts";

const BLOCK = 16;

/** Removes PKCS#7 padding (block 16); throws when the padding is not well formed. */
function stripPkcs7(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const pad = bytes[bytes.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK || pad > bytes.length) throw new Error("bad padding");
  for (let i = bytes.length - pad; i < bytes.length; i++) {
    if (bytes[i] !== pad) throw new Error("bad padding");
  }
  return bytes.subarray(0, bytes.length - pad);
}

/**
 * Decrypts an `encrypt` value: base64(iv ‖ AES-256-CBC(SHA-256(encryptKey), iv, PKCS#7(plain))).
 * Throws on anything that is not base64, not whole blocks, badly padded or not UTF-8.
 */
export async function larkDecrypt(encryptKey: string, encrypted: string): Promise<string> {
  const blob = base64Decode(encrypted);
  if (blob.length < 2 * BLOCK || blob.length % BLOCK !== 0)
    throw new Error("cipher text is not whole blocks");
  const key = await sha256(encryptKey);
  const plain = await aesCbcDecryptRaw(key, blob.slice(0, BLOCK), blob.slice(BLOCK));
  return utf8Decode(stripPkcs7(plain));
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
