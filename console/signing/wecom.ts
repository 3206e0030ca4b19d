// WeCom's callback crypto as WeCom does it, with node:crypto: SHA-1 signature, AES-256-CBC with the length frame.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

function aesKey(encodingAesKey: string): { key: Buffer; iv: Buffer } {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new Error("EncodingAESKey must decode to 32 bytes");
  return { key, iv: key.subarray(0, 16) };
}

/** Lowercase hex SHA-1 of the sorted, concatenated parts. */
export function nodeSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash("sha1").update([token, timestamp, nonce, encrypt].sort().join("")).digest("hex");
}

/** random(16) + uint32 BE byte length + msg + receiveid, PKCS#7 to 32-byte blocks, AES-256-CBC, base64. */
export function nodeEncrypt(
  encodingAesKey: string,
  message: string,
  receiveId: string,
  random: Buffer = randomBytes(16),
  /** Overrides the pad byte value, to build bad-padding cases. */
  padValue?: number,
): string {
  const { key, iv } = aesKey(encodingAesKey);
  const messageBytes = Buffer.from(message, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(messageBytes.length);
  const raw = Buffer.concat([random, length, messageBytes, Buffer.from(receiveId, "utf8")]);
  const pad = 32 - (raw.length % 32);
  const cipher = createCipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
  const padded = Buffer.concat([raw, Buffer.alloc(pad, padValue ?? pad)]);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString("base64");
}

export function nodeDecrypt(
  encodingAesKey: string,
  encrypted: string,
): { message: string; receiveId: string } {
  const { key, iv } = aesKey(encodingAesKey);
  const decipher = createDecipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > 32) throw new Error("bad padding");
  const plain = padded.subarray(0, padded.length - pad);
  const length = plain.readUInt32BE(16);
  return {
    message: plain.subarray(20, 20 + length).toString("utf8"),
    receiveId: plain.subarray(20 + length).toString("utf8"),
  };
}
