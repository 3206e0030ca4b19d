// The platform verifiers' crypto on node:crypto: each step runs at once on the calling thread, where Web Crypto
// in Node hands every digest and decryption to the thread pool and back (a promise and a loop turn apiece).
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  timingSafeEqual,
} from "node:crypto";
import type { AesCbcKey, CryptoPrimitives } from "../../platforms/shared/crypto-primitives.ts";

const AES_BLOCK = 16;

function wholeBlocks(bytes: Uint8Array, what: string): void {
  if (bytes.length === 0 || bytes.length % AES_BLOCK !== 0) throw new Error(`${what} is not whole blocks`);
}

function nodeAesCbcKey(raw: Uint8Array): AesCbcKey {
  if (raw.length !== 32) throw new Error("an AES-256 key is 32 bytes");
  const key = createSecretKey(Buffer.from(raw));
  const decrypt = (iv: Uint8Array, cipherText: Uint8Array, padded: boolean) => {
    wholeBlocks(cipherText, "cipher text");
    const decipher = createDecipheriv("aes-256-cbc", key, iv).setAutoPadding(padded);
    return Buffer.concat([decipher.update(cipherText), decipher.final()]);
  };
  return {
    decrypt: (iv, cipherText) => decrypt(iv, cipherText, true),
    decryptRaw: (iv, cipherText) => decrypt(iv, cipherText, false),
    encryptRaw(iv, plainText) {
      if (plainText.length % AES_BLOCK !== 0) throw new Error("plain text is not whole blocks");
      const cipher = createCipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
      return Buffer.concat([cipher.update(plainText), cipher.final()]);
    },
  };
}

export const nodeCryptoPrimitives: CryptoPrimitives = {
  sha1: (data) => createHash("sha1").update(data).digest(),
  sha256: (data) => createHash("sha256").update(data).digest(),
  hmacSha256: (key, data) => createHmac("sha256", key).update(data).digest(),
  aesCbcKey: nodeAesCbcKey,
  timingSafeEqual(a, b) {
    const left = Buffer.from(a, "utf8");
    const right = Buffer.from(b, "utf8");
    // node's compare wants equal lengths; comparing one side with itself keeps the time the same.
    return left.length === right.length ? timingSafeEqual(left, right) : !timingSafeEqual(left, left);
  },
};
