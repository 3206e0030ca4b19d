// WeCom callback builder for tests: node:crypto signing (src/console/signing), not the Web Crypto code under test.
import { nodeEncrypt, nodeSignature } from "../../src/console/signing/wecom.ts";

export { nodeDecrypt, nodeEncrypt, nodeSignature } from "../../src/console/signing/wecom.ts";

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
