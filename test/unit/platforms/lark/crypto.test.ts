// Lark crypto against the published vectors (lark.md §6) and an independent node:crypto encrypter/signer.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { larkDecrypt, larkSignature } from "../../../../src/platforms/lark/crypto.ts";
import { utf8Encode } from "../../../../src/platforms/shared/web-crypto.ts";
import { EVERY_PRIMITIVES } from "../../../helpers/crypto-primitives.ts";
import { larkEncrypt, larkSign } from "../../../helpers/lark-signer.ts";
import { CHALLENGE_VECTOR, DOCS_VECTOR, GO_VECTOR } from "./vectors.ts";

describe.each(EVERY_PRIMITIVES)("on %s", (_name, primitives) => {
  describe("larkDecrypt: published vectors", () => {
    it("decrypts the Feishu docs sample to 'hello world'", async () => {
      await expect(larkDecrypt(primitives, DOCS_VECTOR.encryptKey, DOCS_VECTOR.encrypt)).resolves.toBe(
        DOCS_VECTOR.plain,
      );
    });

    it("decrypts the node-sdk encrypted challenge", async () => {
      await expect(
        larkDecrypt(primitives, CHALLENGE_VECTOR.encryptKey, CHALLENGE_VECTOR.encrypt),
      ).resolves.toBe(CHALLENGE_VECTOR.plain);
    });

    it("decrypts the oapi-sdk-go TestDecryptEvent vector", async () => {
      await expect(larkDecrypt(primitives, GO_VECTOR.encryptKey, GO_VECTOR.encrypt)).resolves.toBe(
        GO_VECTOR.plain,
      );
    });

    it("refuses a wrong key (bad padding) instead of returning garbage", async () => {
      await expect(larkDecrypt(primitives, "another key", DOCS_VECTOR.encrypt)).rejects.toThrow();
    });

    it("refuses input that is not base64 or not whole blocks", async () => {
      await expect(larkDecrypt(primitives, DOCS_VECTOR.encryptKey, "not base64 !!")).rejects.toThrow();
      await expect(
        larkDecrypt(primitives, DOCS_VECTOR.encryptKey, DOCS_VECTOR.encrypt.slice(0, 40)),
      ).rejects.toThrow();
      await expect(
        larkDecrypt(primitives, DOCS_VECTOR.encryptKey, "AAAAAAAAAAAAAAAAAAAAAA=="),
      ).rejects.toThrow();
    });
  });

  describe("larkSignature", () => {
    it("matches the value derived from the oapi-sdk-go mockEventReq inputs", async () => {
      await expect(
        larkSignature(primitives, "timestamp", "nonce", GO_VECTOR.encryptKey, utf8Encode(GO_VECTOR.plain)),
      ).resolves.toBe(GO_VECTOR.signature);
    });

    it("agrees with the independent node:crypto signer on arbitrary inputs", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string(),
          fc.string(),
          fc.string({ minLength: 1 }),
          fc.string(),
          async (ts, nonce, key, body) => {
            expect(await larkSignature(primitives, ts, nonce, key, utf8Encode(body))).toBe(
              larkSign(ts, nonce, key, body),
            );
          },
        ),
        { numRuns: 50 },
      );
    });
  });

  describe("larkDecrypt vs the node:crypto encrypter", () => {
    it("strips every PKCS#7 padding length, 1 to 16 bytes", async () => {
      for (let length = 0; length <= 32; length++) {
        const plain = "x".repeat(length);
        expect(await larkDecrypt(primitives, "k", larkEncrypt(plain, "k"))).toBe(plain);
      }
    });

    it("round-trips arbitrary text under arbitrary keys, at every padding length", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: "grapheme", maxLength: 80 }),
          fc.string({ minLength: 1 }),
          async (plain, key) => {
            expect(await larkDecrypt(primitives, key, larkEncrypt(plain, key))).toBe(plain);
          },
        ),
        { numRuns: 80 },
      );
    });
  });
});
