// DingTalk's request signatures as DingTalk computes them, with node:crypto.
import { createHmac } from "node:crypto";

/** Robot message headers: sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)). */
export function signDingTalk(timestamp: number | string, secret: string): Record<string, string> {
  const ts = String(timestamp);
  return {
    timestamp: ts,
    sign: createHmac("sha256", secret).update(`${ts}\n${secret}`, "utf8").digest("base64"),
  };
}

/** Card callback headers: x-ddpaas-signature = base64(HMAC-SHA256(apiSecret, timestamp)). */
export function signDingTalkCard(timestamp: number | string, apiSecret: string): Record<string, string> {
  const ts = String(timestamp);
  return {
    "x-ddpaas-signature-timestamp": ts,
    "x-ddpaas-signature": createHmac("sha256", apiSecret).update(ts, "utf8").digest("base64"),
  };
}
