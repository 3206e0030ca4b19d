// The test signer agrees with Lark's own Node SDK, so requests built with it look like Lark's.
import * as lark from "@larksuiteoapi/node-sdk";
import { describe, expect, it } from "vitest";
import { larkEncrypt, larkMessageEvent, signLarkRequest } from "../../../helpers/lark-signer.ts";

const KEY = "enc-key-1";
const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

function dispatcher() {
  return new lark.EventDispatcher({
    encryptKey: KEY,
    logger: quiet,
    loggerLevel: lark.LoggerLevel.error,
  }).register({
    "im.message.receive_v1": async (data) => data.message.message_id,
  });
}

/** The SDK expects the parsed body with the (lower-case) headers on its prototype. */
const sdkInput = (signed: { body: string; headers: Record<string, string> }) =>
  Object.assign(Object.create({ headers: signed.headers }), JSON.parse(signed.body));

describe("lark-signer vs @larksuiteoapi/node-sdk", () => {
  it("encrypts what the SDK's AESCipher decrypts", () => {
    expect(new lark.AESCipher(KEY).decrypt(larkEncrypt("订单 O-1 ✓", KEY))).toBe("订单 O-1 ✓");
  });

  it("signs requests the SDK's EventDispatcher accepts, and it refuses a forged signature", async () => {
    const signed = signLarkRequest(larkMessageEvent({ token: "vt", text: "/help", messageId: "om_sdk" }), {
      encryptKey: KEY,
    });
    expect(await dispatcher().invoke(sdkInput(signed))).toBe("om_sdk");
    const forged = { ...signed, headers: { ...signed.headers, "x-lark-signature": "0".repeat(64) } };
    expect(await dispatcher().invoke(sdkInput(forged))).toBeUndefined();
  });
});
