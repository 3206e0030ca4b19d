// A button's value carried in text (a link, a button key): base64url of its JSON, read back strictly.
import { base64UrlDecode, base64UrlEncode } from "./web-crypto.ts";

export const encodeActionValue = (value: Record<string, string>): string =>
  base64UrlEncode(JSON.stringify(value));

/** The value, or null when the text is not base64url of a JSON object of strings. */
export function decodeActionValue(encoded: string): Record<string, string> | null {
  try {
    const value: unknown = JSON.parse(base64UrlDecode(encoded));
    const isStringRecord =
      typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every((entry) => typeof entry === "string");
    return isStringRecord ? (value as Record<string, string>) : null;
  } catch {
    return null;
  }
}
