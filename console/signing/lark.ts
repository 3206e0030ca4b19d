// Lark's webhook crypto as Lark does it, with node:crypto: the `encrypt` envelope and the request signature.
import { createCipheriv, createHash, randomBytes } from "node:crypto";

/** base64(iv ‖ AES-256-CBC(SHA-256(encryptKey), iv, PKCS#7(plain))), Lark's `encrypt` value. */
export function larkEncrypt(plain: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const key = createHash("sha256").update(encryptKey, "utf8").digest();
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([iv, cipher.update(plain, "utf8"), cipher.final()]).toString("base64");
}

/** hex(SHA-256(timestamp + nonce + encryptKey + body)). */
export function larkSign(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash("sha256")
    .update(timestamp + nonce + encryptKey, "utf8")
    .update(body, "utf8")
    .digest("hex");
}
