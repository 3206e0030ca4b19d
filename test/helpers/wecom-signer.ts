// WeCom's callback crypto as WeCom does it, with node:crypto (not the Web Crypto code under test), and callback
// builders for the tests and the console.
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

export interface WeComSecrets {
  token: string;
  encodingAesKey: string;
  /** Corp id for the self-built app, "" for the intelligent robot. */
  receiveId: string;
}

export interface SignedCallback {
  /** Path and query, e.g. "/webhooks/wecom?msg_signature=…&timestamp=…&nonce=…". */
  path: string;
  body: string;
}

interface CallbackOptions {
  /** Path before the query; default "/webhooks/wecom" (app) or "/webhooks/wecom/bot" (robot). */
  path?: string;
  timestamp: string;
  nonce?: string;
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** An encrypted, signed self-built app POST: `<xml><ToUserName/><Encrypt/><AgentID/></xml>` around `innerXml`. */
export function appCallback(
  secrets: WeComSecrets,
  innerXml: string,
  options: CallbackOptions & { agentId?: string },
): SignedCallback {
  const nonce = options.nonce ?? "1372623149";
  const encrypt = nodeEncrypt(secrets.encodingAesKey, innerXml, secrets.receiveId);
  const signature = nodeSignature(secrets.token, options.timestamp, nonce, encrypt);
  return {
    path: `${options.path ?? "/webhooks/wecom"}?${query({ msg_signature: signature, timestamp: options.timestamp, nonce })}`,
    body: `<xml><ToUserName><![CDATA[${secrets.receiveId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[${options.agentId ?? "1000002"}]]></AgentID></xml>`,
  };
}

/** An encrypted, signed intelligent-robot POST: `{"encrypt": "…"}` around the JSON `payload`. */
export function botCallback(
  secrets: WeComSecrets,
  payload: unknown,
  options: CallbackOptions,
): SignedCallback {
  const nonce = options.nonce ?? "1372623149";
  const encrypt = nodeEncrypt(secrets.encodingAesKey, JSON.stringify(payload), secrets.receiveId);
  const signature = nodeSignature(secrets.token, options.timestamp, nonce, encrypt);
  return {
    path: `${options.path ?? "/webhooks/wecom/bot"}?${query({ msg_signature: signature, timestamp: options.timestamp, nonce })}`,
    body: JSON.stringify({ encrypt }),
  };
}

/** A GET URL-verification path whose echostr decrypts to `echo`; the query is encoded as WeCom does (%2B). */
export function verificationPath(
  secrets: WeComSecrets,
  echo: string,
  options: CallbackOptions,
): { path: string; echostr: string } {
  const nonce = options.nonce ?? "263014780";
  const echostr = nodeEncrypt(secrets.encodingAesKey, echo, secrets.receiveId);
  const signature = nodeSignature(secrets.token, options.timestamp, nonce, echostr);
  const params = query({ msg_signature: signature, timestamp: options.timestamp, nonce, echostr });
  return { path: `${options.path ?? "/webhooks/wecom"}?${params}`, echostr };
}
