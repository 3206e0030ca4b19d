// Web Crypto primitives shared by the platform verifiers; no node:* imports so they run on Workers too.

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

async function digest(algorithm: "SHA-1" | "SHA-256", data: string | Uint8Array<ArrayBuffer>) {
  const bytes = typeof data === "string" ? utf8Encode(data) : data;
  return new Uint8Array(await crypto.subtle.digest(algorithm, bytes));
}

export const sha1 = (data: string | Uint8Array<ArrayBuffer>) => digest("SHA-1", data);
export const sha256 = (data: string | Uint8Array<ArrayBuffer>) => digest("SHA-256", data);

export async function hmacSha256(
  key: string | Uint8Array<ArrayBuffer>,
  data: string | Uint8Array<ArrayBuffer>,
) {
  const keyBytes = typeof key === "string" ? utf8Encode(key) : key;
  const cryptoKey = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const bytes = typeof data === "string" ? utf8Encode(data) : data;
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, bytes));
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

/** AES-256-CBC without Web Crypto's own PKCS#7 (block 16) padding, so callers can apply their own. */
export async function aesCbcDecryptRaw(
  key: Uint8Array<ArrayBuffer>,
  iv: Uint8Array<ArrayBuffer>,
  cipherText: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  if (cipherText.length === 0 || cipherText.length % 16 !== 0)
    throw new Error("cipher text is not whole blocks");
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "AES-CBC" }, false, [
    "encrypt",
    "decrypt",
  ]);
  // Web Crypto always strips PKCS#7/16 padding; append one encrypted block of full padding so that the
  // original last block comes back untouched.
  const lastBlock = cipherText.subarray(cipherText.length - 16);
  const padBlock = new Uint8Array(16).fill(16);
  const extra = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-CBC", iv: lastBlock }, cryptoKey, padBlock),
  ).subarray(0, 16);
  const extended = new Uint8Array(cipherText.length + 16);
  extended.set(cipherText);
  extended.set(extra, cipherText.length);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv }, cryptoKey, extended));
}

/** AES-256-CBC over input the caller has already padded to whole 16-byte blocks. */
export async function aesCbcEncryptRaw(
  key: Uint8Array<ArrayBuffer>,
  iv: Uint8Array<ArrayBuffer>,
  plainText: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  if (plainText.length % 16 !== 0) throw new Error("plain text is not whole blocks");
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "AES-CBC" }, false, ["encrypt"]);
  const out = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv }, cryptoKey, plainText));
  return out.subarray(0, plainText.length);
}

/** URL- and id-safe base64 (RFC 4648 §5, unpadded) of UTF-8 text, for values carried in card keys and links. */
export const base64UrlEncode = (text: string): string =>
  base64Encode(utf8Encode(text)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** Throws on anything that is not base64url or not UTF-8. */
export function base64UrlDecode(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  return utf8Decode(base64Decode(text.replace(/-/g, "+").replace(/_/g, "/")));
}
