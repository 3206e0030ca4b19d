// verifyLarkRequest: signature, timestamp window and token, with the node:crypto signer and the published vectors.
import { describe, expect, it } from "vitest";
import { WebhookError, type WebhookErrorCode } from "../../../../src/platforms/errors.ts";
import { verifyLarkRequest } from "../../../../src/platforms/lark/verify.ts";
import { EVERY_PRIMITIVES } from "../../../helpers/crypto-primitives.ts";
import {
  LARK_SIGNED_AT,
  larkEncrypt,
  larkMessageEvent,
  larkUrlVerification,
  signLarkRequest,
} from "../../../helpers/lark-signer.ts";
import { webhookRequest } from "./request.ts";
import { CHALLENGE_VECTOR, GO_VECTOR } from "./vectors.ts";

const KEY = "enc-key-1";
const TOKEN = "vt-1";
const encrypted = { verificationToken: TOKEN, encryptKey: KEY };
const plainOnly = { verificationToken: TOKEN };
const seconds = (date: Date, offset: number) => String(date.getTime() / 1000 + offset);
const event = larkMessageEvent({ token: TOKEN, text: "/help" });

async function rejection(promise: Promise<unknown>): Promise<WebhookError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WebhookError);
  return error as WebhookError;
}

async function expectRejected(promise: Promise<unknown>, code: WebhookErrorCode, status: number) {
  const error = await rejection(promise);
  expect({ code: error.code, status: error.status }).toEqual({ code, status });
}
describe.each(EVERY_PRIMITIVES)("on %s", (_name, primitives) => {
  describe("with an Encrypt Key", () => {
    it("accepts a signed, encrypted event and returns the decrypted envelope", async () => {
      const verified = await verifyLarkRequest(
        primitives,
        webhookRequest(signLarkRequest(event, { encryptKey: KEY })),
        encrypted,
      );
      expect(verified).toEqual({ kind: "envelope", envelope: event });
    });

    it("accepts a signed body that is not encrypted", async () => {
      const signed = signLarkRequest(event, { encryptKey: KEY, encrypt: false });
      expect((await verifyLarkRequest(primitives, webhookRequest(signed), encrypted)).kind).toBe("envelope");
    });

    it("accepts the same valid request twice (replays are the inbox's job)", async () => {
      const request = webhookRequest(signLarkRequest(event, { encryptKey: KEY }));
      const first = await verifyLarkRequest(primitives, request, encrypted);
      expect(await verifyLarkRequest(primitives, request, encrypted)).toEqual(first);
    });

    it("accepts timestamps up to an hour off either way", async () => {
      for (const offset of [-3600, 3600]) {
        const signed = signLarkRequest(event, {
          encryptKey: KEY,
          timestamp: seconds(LARK_SIGNED_AT, offset),
        });
        expect((await verifyLarkRequest(primitives, webhookRequest(signed), encrypted)).kind).toBe(
          "envelope",
        );
      }
    });

    it("rejects a stale timestamp", async () => {
      const signed = signLarkRequest(event, { encryptKey: KEY, timestamp: seconds(LARK_SIGNED_AT, -3601) });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "stale_timestamp",
        401,
      );
    });

    it("rejects a timestamp from the future", async () => {
      const signed = signLarkRequest(event, { encryptKey: KEY, timestamp: seconds(LARK_SIGNED_AT, 3601) });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "stale_timestamp",
        401,
      );
    });

    it("rejects a timestamp that is not seconds", async () => {
      const signed = signLarkRequest(event, { encryptKey: KEY, timestamp: "yesterday" });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "stale_timestamp",
        401,
      );
    });

    for (const header of ["x-lark-request-timestamp", "x-lark-request-nonce", "x-lark-signature"]) {
      it(`rejects an event without ${header}`, async () => {
        const signed = signLarkRequest(event, { encryptKey: KEY });
        delete signed.headers[header];
        await expectRejected(
          verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
          "missing_signature",
          401,
        );
      });
    }

    it("rejects a wrong digest", async () => {
      const signed = signLarkRequest(event, { encryptKey: KEY });
      const digest = signed.headers["x-lark-signature"] as string;
      signed.headers["x-lark-signature"] = (digest[0] === "0" ? "1" : "0") + digest.slice(1);
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "bad_signature",
        401,
      );
    });

    it("rejects a body changed after signing", async () => {
      const signed = signLarkRequest(event, { encryptKey: KEY, encrypt: false });
      const tampered = { ...signed, body: signed.body.replace("/help", "/kpi") };
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(tampered), encrypted),
        "bad_signature",
        401,
      );
    });

    it("rejects a request signed with another key", async () => {
      const signed = signLarkRequest(event, { encryptKey: "someone else" });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "bad_signature",
        401,
      );
    });

    it("accepts an upper-case hex digest", async () => {
      const signed = signLarkRequest(event, { encryptKey: KEY });
      signed.headers["x-lark-signature"] = (signed.headers["x-lark-signature"] as string).toUpperCase();
      expect((await verifyLarkRequest(primitives, webhookRequest(signed), encrypted)).kind).toBe("envelope");
    });

    it("rejects a correctly signed event with the wrong verification token", async () => {
      const signed = signLarkRequest(larkMessageEvent({ token: "not-ours", text: "/help" }), {
        encryptKey: KEY,
      });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "bad_token",
        401,
      );
    });

    it("answers an unsigned, encrypted url_verification that carries the token", async () => {
      const signed = signLarkRequest(larkUrlVerification(TOKEN, "ch-1"), { encryptKey: KEY, unsigned: true });
      expect(await verifyLarkRequest(primitives, webhookRequest(signed), encrypted)).toEqual({
        kind: "challenge",
        challenge: "ch-1",
      });
    });

    it("rejects an encrypted url_verification with the wrong token", async () => {
      const signed = signLarkRequest(larkUrlVerification("not-ours", "ch-1"), {
        encryptKey: KEY,
        unsigned: true,
      });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "bad_token",
        401,
      );
    });

    it("still checks signature headers on a url_verification that has them", async () => {
      const signed = signLarkRequest(larkUrlVerification(TOKEN, "ch-1"), { encryptKey: KEY });
      signed.headers["x-lark-signature"] = "0".repeat(64);
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "bad_signature",
        401,
      );
    });

    it("answers the node-sdk encrypted challenge vector", async () => {
      const request = webhookRequest({
        body: JSON.stringify({ encrypt: CHALLENGE_VECTOR.encrypt }),
        headers: {},
      });
      const secrets = { verificationToken: CHALLENGE_VECTOR.token, encryptKey: CHALLENGE_VECTOR.encryptKey };
      expect(await verifyLarkRequest(primitives, request, secrets)).toEqual({
        kind: "challenge",
        challenge: CHALLENGE_VECTOR.challenge,
      });
    });

    it("answers the oapi-sdk-go vector, a schema 2.0 url_verification with header.token", async () => {
      const request = webhookRequest({ body: JSON.stringify({ encrypt: GO_VECTOR.encrypt }), headers: {} });
      const secrets = { verificationToken: "v", encryptKey: GO_VECTOR.encryptKey };
      expect(await verifyLarkRequest(primitives, request, secrets)).toEqual({
        kind: "challenge",
        challenge: "1212",
      });
    });

    it("rejects an unsigned encrypted event that is not a url_verification", async () => {
      const signed = signLarkRequest(event, { encryptKey: KEY, unsigned: true });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "missing_signature",
        401,
      );
    });

    it("treats an unsigned, unparseable body as unauthenticated (401), not as malformed", async () => {
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest({ body: "{not json", headers: {} }), encrypted),
        "missing_signature",
        401,
      );
    });

    it("answers malformed JSON that is correctly signed with 400", async () => {
      const signed = signLarkRequest("{not json", { encryptKey: KEY, encrypt: false });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "malformed",
        400,
      );
    });

    it("answers an `encrypt` that is not base64 with 400", async () => {
      const signed = signLarkRequest({ encrypt: "%%% not base64 %%%" }, { encryptKey: KEY, encrypt: false });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "malformed",
        400,
      );
    });

    it("answers an `encrypt` that is not a string with 400", async () => {
      const signed = signLarkRequest({ encrypt: 42 }, { encryptKey: KEY, encrypt: false });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "malformed",
        400,
      );
    });

    it("answers an encrypted body whose plaintext is not JSON with 400", async () => {
      const body = JSON.stringify({ encrypt: larkEncrypt("plain words", KEY) });
      const signed = signLarkRequest(body, { encryptKey: KEY, encrypt: false });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), encrypted),
        "malformed",
        400,
      );
    });
  });

  describe("without an Encrypt Key", () => {
    it("accepts a plain event with the right token", async () => {
      expect(await verifyLarkRequest(primitives, webhookRequest(signLarkRequest(event)), plainOnly)).toEqual({
        kind: "envelope",
        envelope: event,
      });
    });

    it("rejects a plain event with the wrong or no token", async () => {
      const wrong = signLarkRequest(larkMessageEvent({ token: "not-ours", text: "/help" }));
      await expectRejected(verifyLarkRequest(primitives, webhookRequest(wrong), plainOnly), "bad_token", 401);
      const header = { ...(event.header as object), token: undefined };
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signLarkRequest({ ...event, header })), plainOnly),
        "bad_token",
        401,
      );
    });

    it("answers a plain url_verification and checks its token", async () => {
      const good = signLarkRequest(larkUrlVerification(TOKEN, "ch-2"));
      expect(await verifyLarkRequest(primitives, webhookRequest(good), plainOnly)).toEqual({
        kind: "challenge",
        challenge: "ch-2",
      });
      const bad = signLarkRequest(larkUrlVerification("not-ours", "ch-2"));
      await expectRejected(verifyLarkRequest(primitives, webhookRequest(bad), plainOnly), "bad_token", 401);
    });

    it("rejects an encrypted body it has no key for", async () => {
      const signed = signLarkRequest(event, { encryptKey: KEY, unsigned: true });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), plainOnly),
        "bad_token",
        401,
      );
    });

    it("answers malformed bodies with 400", async () => {
      for (const body of ["{not json", "[1,2]", '"text"', ""]) {
        await expectRejected(
          verifyLarkRequest(primitives, webhookRequest({ body, headers: {} }), plainOnly),
          "malformed",
          400,
        );
      }
      const invalidUtf8 = webhookRequest(
        { body: "", headers: {} },
        { body: new Uint8Array([0x7b, 0xff, 0x7d]) },
      );
      await expectRejected(verifyLarkRequest(primitives, invalidUtf8, plainOnly), "malformed", 400);
    });

    it("rejects a url_verification without a challenge as malformed", async () => {
      const signed = signLarkRequest({ token: TOKEN, type: "url_verification" });
      await expectRejected(
        verifyLarkRequest(primitives, webhookRequest(signed), plainOnly),
        "malformed",
        400,
      );
    });
  });
});
