// Web Crypto primitives shared by the platform verifiers; no node:* imports so they run on Workers too.
import type { AesCbcKey, CryptoPrimitives } from "./crypto-primitives.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export const utf8Encode = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text);

/** Strict UTF-8 decode: throws on invalid byte sequences instead of inserting U+FFFD. */
export const utf8Decode = (bytes: Uint8Array): string => decoder.decode(bytes);

export function base64Encode(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Throws on anything that is not base64. */
export function base64Decode(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const hexEncode = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** The bytes as Web Crypto takes them: a view of an ArrayBuffer (a copy only when they sit elsewhere). */
const bufferSource = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);

async function digest(algorithm: "SHA-1" | "SHA-256", data: string | Uint8Array) {
  const bytes = typeof data === "string" ? utf8Encode(data) : bufferSource(data);
  return new Uint8Array(await crypto.subtle.digest(algorithm, bytes));
}

export const sha1 = (data: string | Uint8Array) => digest("SHA-1", data);
export const sha256 = (data: string | Uint8Array) => digest("SHA-256", data);

async function hmacSha256(key: Uint8Array, data: Uint8Array) {
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    bufferSource(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, bufferSource(data)));
}

/** Compares two strings in time that depends only on their lengths. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = utf8Encode(a);
  const right = utf8Encode(b);
  let diff = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}

const AES_BLOCK = 16;

function wholeBlocks(bytes: Uint8Array, what: string): void {
  if (bytes.length === 0 || bytes.length % AES_BLOCK !== 0) throw new Error(`${what} is not whole blocks`);
}

/** An AES-256-CBC key imported on first use; importing it costs more than one message's decryption. */
function webAesCbcKey(raw: Uint8Array): AesCbcKey {
  if (raw.length !== 32) throw new Error("an AES-256 key is 32 bytes");
  const keyBytes = new Uint8Array(raw);
  let imported: Promise<CryptoKey> | undefined;
  const key = () => {
    imported ??= crypto.subtle.importKey("raw", keyBytes, { name: "AES-CBC" }, false, ["encrypt", "decrypt"]);
    return imported;
  };
  const encryptRaw = async (iv: Uint8Array, plainText: Uint8Array) => {
    if (plainText.length % AES_BLOCK !== 0) throw new Error("plain text is not whole blocks");
    const out = await crypto.subtle.encrypt(
      { name: "AES-CBC", iv: bufferSource(iv) },
      await key(),
      bufferSource(plainText),
    );
    // Web Crypto always appends a block of PKCS#7 padding; the caller padded already.
    return new Uint8Array(out, 0, plainText.length);
  };
  return {
    async decrypt(iv, cipherText) {
      wholeBlocks(cipherText, "cipher text");
      // Web Crypto checks and strips PKCS#7 padding on 16-byte blocks itself.
      const plain = await crypto.subtle.decrypt(
        { name: "AES-CBC", iv: bufferSource(iv) },
        await key(),
        bufferSource(cipherText),
      );
      return new Uint8Array(plain);
    },
    async decryptRaw(iv, cipherText) {
      wholeBlocks(cipherText, "cipher text");
      // Web Crypto always strips PKCS#7/16 padding; append one encrypted block of full padding so that the
      // original last block comes back untouched.
      const lastBlock = cipherText.subarray(cipherText.length - AES_BLOCK);
      const extra = await encryptRaw(lastBlock, new Uint8Array(AES_BLOCK).fill(AES_BLOCK));
      const extended = new Uint8Array(cipherText.length + AES_BLOCK);
      extended.set(cipherText);
      extended.set(extra, cipherText.length);
      return new Uint8Array(
        await crypto.subtle.decrypt({ name: "AES-CBC", iv: bufferSource(iv) }, await key(), extended),
      );
    },
    encryptRaw,
  };
}

/** The platform verifiers' crypto on Web Crypto: what runs on Workers, and the default everywhere. */
export const webCryptoPrimitives: CryptoPrimitives = {
  sha1,
  sha256,
  hmacSha256,
  aesCbcKey: webAesCbcKey,
  timingSafeEqual,
};

/** URL- and id-safe base64 (RFC 4648 §5, unpadded) of UTF-8 text, for values carried in card keys and links. */
export const base64UrlEncode = (text: string): string =>
  base64Encode(utf8Encode(text)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** Throws on anything that is not base64url or not UTF-8. */
export function base64UrlDecode(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  return utf8Decode(base64Decode(text.replace(/-/g, "+").replace(/_/g, "/")));
}
