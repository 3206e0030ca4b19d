import { createCipheriv } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WebhookError } from "../../../../src/platforms/errors.ts";
import {
  decryptWeCom,
  encryptWeCom,
  verifyWeComSignature,
  wecomSignature,
} from "../../../../src/platforms/wecom/crypto.ts";
import { EVERY_PRIMITIVES } from "../../../helpers/crypto-primitives.ts";
import { nodeDecrypt, nodeEncrypt, nodeSignature } from "../../../helpers/wecom-signer.ts";
import { C1, C2, C4 } from "./vectors.ts";

const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebhookError);
  return error as WebhookError;
};
describe.each(EVERY_PRIMITIVES)("on %s", (_name, primitives) => {
  describe("wecom msg_signature", () => {
    it.each([
      ["C1 GET", C1.token, C1.verify.timestamp, C1.verify.nonce, C1.verify.echostr, C1.verify.signature],
      ["C1 XML", C1.token, C1.xml.timestamp, C1.xml.nonce, C1.xml.encrypt, C1.xml.signature],
      ["C1 JSON", C1.token, C1.json.timestamp, C1.json.nonce, C1.json.encrypt, C1.json.signature],
      ["C1 Go JSON", C1.token, C1.goJson.timestamp, C1.goJson.nonce, C1.goJson.encrypt, C1.goJson.signature],
      ["C2 GET", C2.token, C2.verify.timestamp, C2.verify.nonce, C2.verify.echostr, C2.verify.signature],
      ["C2 XML", C2.token, C2.xml.timestamp, C2.xml.nonce, C2.xml.encrypt, C2.xml.signature],
      ["C2 JSON", C2.token, C2.json.timestamp, C2.json.nonce, C2.json.encrypt, C2.json.signature],
      ["C4 reply", C1.token, C4.timestamp, C4.nonce, C4.encrypt, C4.signature],
    ])("reproduces the %s vector", async (_name, token, timestamp, nonce, encrypt, signature) => {
      expect(await wecomSignature(primitives, token, timestamp, nonce, encrypt)).toBe(signature);
      await expect(
        verifyWeComSignature(primitives, { token, timestamp, nonce, encrypt }, signature),
      ).resolves.toBeUndefined();
    });

    it("rejects a signature that differs in one digit or comes in upper case", async () => {
      const parts = {
        token: C1.token,
        timestamp: C1.xml.timestamp,
        nonce: C1.xml.nonce,
        encrypt: C1.xml.encrypt,
      };
      const oneOff = `${C1.xml.signature.slice(0, -1)}7`;
      expect((await rejection(verifyWeComSignature(primitives, parts, oneOff))).code).toBe("bad_signature");
      expect(
        (await rejection(verifyWeComSignature(primitives, parts, C1.xml.signature.toUpperCase()))).code,
      ).toBe("bad_signature");
      expect(
        (await rejection(verifyWeComSignature(primitives, { ...parts, token: "other" }, C1.xml.signature)))
          .code,
      ).toBe("bad_signature");
    });

    it("agrees with node:crypto on arbitrary inputs", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string(),
          fc.string(),
          fc.string(),
          fc.string(),
          async (token, ts, nonce, encrypt) => {
            expect(await wecomSignature(primitives, token, ts, nonce, encrypt)).toBe(
              nodeSignature(token, ts, nonce, encrypt),
            );
          },
        ),
        { numRuns: 50 },
      );
    });
  });

  describe("wecom decrypt", () => {
    it.each([
      ["C1 echostr", C1, C1.verify.echostr, C1.verify.plaintext],
      ["C1 XML", C1, C1.xml.encrypt, C1.xml.plaintext],
      ["C1 JSON", C1, C1.json.encrypt, C1.json.plaintext],
      ["C1 Go JSON", C1, C1.goJson.encrypt, C1.goJson.plaintext],
      ["C2 echostr", C2, C2.verify.echostr, C2.verify.plaintext],
      ["C2 XML (UTF-8 length)", C2, C2.xml.encrypt, C2.xml.plaintext],
      ["C2 JSON", C2, C2.json.encrypt, C1.json.plaintext],
    ])("decrypts the %s vector", async (_name, set, encrypted, plaintext) => {
      expect(await decryptWeCom(primitives, set.encodingAesKey, encrypted, set.corpId)).toBe(plaintext);
    });

    it("refuses a receiveid other than the expected corp id", async () => {
      const error = await rejection(
        decryptWeCom(primitives, C1.encodingAesKey, C1.xml.encrypt, "ww-someone-else"),
      );
      expect(error.code).toBe("bad_receiver");
      expect(error.status).toBe(401);
      // The robot expects "": an app-encrypted payload must not pass as a robot one.
      expect((await rejection(decryptWeCom(primitives, C1.encodingAesKey, C1.xml.encrypt, ""))).code).toBe(
        "bad_receiver",
      );
    });

    it("refuses padding outside 1..32 and inconsistent pad bytes", async () => {
      for (const padValue of [0, 33, 200]) {
        const encrypted = nodeEncrypt(C1.encodingAesKey, "hello", C1.corpId, undefined, padValue);
        expect(
          (await rejection(decryptWeCom(primitives, C1.encodingAesKey, encrypted, C1.corpId))).code,
        ).toBe("malformed");
      }
    });

    it("refuses non-base64, truncated and partial-block cipher text as malformed", async () => {
      for (const encrypted of ["not base64 at all!", "", C1.xml.encrypt.slice(0, 40), "QUJD"]) {
        expect(
          (await rejection(decryptWeCom(primitives, C1.encodingAesKey, encrypted, C1.corpId))).code,
        ).toBe("malformed");
      }
    });

    it("refuses a length field that runs past the plain text", async () => {
      // 16 random bytes, a length of 0xFFFF, no message, then 12 bytes of valid padding.
      const key = Buffer.from(`${C1.encodingAesKey}=`, "base64");
      const plain = Buffer.concat([
        Buffer.alloc(16, 1),
        Buffer.from([0, 0, 0xff, 0xff]),
        Buffer.alloc(12, 12),
      ]);
      const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
      const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]).toString("base64");
      expect((await rejection(decryptWeCom(primitives, C1.encodingAesKey, encrypted, ""))).code).toBe(
        "malformed",
      );
    });
  });

  describe("wecom encrypt", () => {
    it("reproduces the C4 passive-reply vector with a pinned random prefix", async () => {
      const random = new TextEncoder().encode(C4.random);
      expect(await encryptWeCom(primitives, C1.encodingAesKey, C4.reply, C1.corpId, random)).toBe(C4.encrypt);
    });

    it("re-encrypts the C1 XML plaintext to the published Encrypt with its own random prefix", async () => {
      const random = new TextEncoder().encode("0960688932c47ef1");
      expect(await encryptWeCom(primitives, C1.encodingAesKey, C1.xml.plaintext, C1.corpId, random)).toBe(
        C1.xml.encrypt,
      );
    });

    it("round-trips both ways against node:crypto", async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: "grapheme" }), fc.boolean(), async (message, robot) => {
          const receiveId = robot ? "" : C2.corpId;
          const ours = await encryptWeCom(primitives, C2.encodingAesKey, message, receiveId);
          expect(nodeDecrypt(C2.encodingAesKey, ours)).toEqual({ message, receiveId });
          const theirs = nodeEncrypt(C2.encodingAesKey, message, receiveId);
          expect(await decryptWeCom(primitives, C2.encodingAesKey, theirs, receiveId)).toBe(message);
        }),
        { numRuns: 60 },
      );
    });
  });
});
