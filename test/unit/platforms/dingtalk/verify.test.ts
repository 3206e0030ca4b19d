import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dingtalkCardSign,
  dingtalkRobotSign,
  verifyCardCallback,
  verifyRobotRequest,
} from "../../../../src/platforms/dingtalk/verify.ts";
import { EVERY_PRIMITIVES } from "../../../helpers/crypto-primitives.ts";
import { signDingTalk, signDingTalkCard } from "../../../helpers/dingtalk-signer.ts";

const HOUR = 3_600_000;
// Inputs of the DT-0718 Java sample; expected values are dingtalk-wecom.md §C4 (cross-checked with openssl).
const VECTOR_TS = "1577262236757";
const VECTOR_TIME = new Date(Number(VECTOR_TS));
const SECRET = "client-secret-0001";
const NOW = new Date("2026-11-26T02:00:00Z");

const headers = (entries: Record<string, string>) => new Headers(entries);
describe.each(EVERY_PRIMITIVES)("on %s", (_name, primitives) => {
  describe("DingTalk signature vectors (dingtalk-wecom.md §C4)", () => {
    it("computes the HTTP-robot header sign", async () => {
      expect(await dingtalkRobotSign(primitives, VECTOR_TS, "this is a secret")).toBe(
        "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=",
      );
    });

    it("computes the custom-robot sign (same algorithm, before URL-encoding)", async () => {
      expect(await dingtalkRobotSign(primitives, VECTOR_TS, "this is secret")).toBe(
        "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=",
      );
    });

    it("computes the card callback x-ddpaas-signature", async () => {
      expect(await dingtalkCardSign(primitives, VECTOR_TS, "example-secret")).toBe(
        "9EQUhx+gSqHfgSF/OnOV2ifDC9m1VzjPj00L/WOZeew=",
      );
    });

    it("the node:crypto test signer reproduces the same vectors", () => {
      expect(signDingTalk(VECTOR_TS, "this is a secret").sign).toBe(
        "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=",
      );
      expect(signDingTalkCard(VECTOR_TS, "example-secret")["x-ddpaas-signature"]).toBe(
        "9EQUhx+gSqHfgSF/OnOV2ifDC9m1VzjPj00L/WOZeew=",
      );
    });
  });

  describe("verifyRobotRequest", () => {
    it("accepts the published vector at its own time", async () => {
      const signed = headers({ timestamp: VECTOR_TS, sign: "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=" });
      await expect(verifyRobotRequest(primitives, signed, "this is a secret", VECTOR_TIME)).resolves.toMatch(
        /^1577262236757:/,
      );
    });

    it("accepts whatever an independent node:crypto signer signs within the hour", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ minLength: 1, maxLength: 64 }),
          fc.integer({ min: -HOUR, max: HOUR }),
          async (secret, skew) => {
            const signed = headers(signDingTalk(NOW.getTime() + skew, secret));
            await verifyRobotRequest(primitives, signed, secret, NOW);
          },
        ),
        { numRuns: 50 },
      );
    });

    it("accepts exactly one hour of skew either way", async () => {
      await verifyRobotRequest(primitives, headers(signDingTalk(NOW.getTime() - HOUR, SECRET)), SECRET, NOW);
      await verifyRobotRequest(primitives, headers(signDingTalk(NOW.getTime() + HOUR, SECRET)), SECRET, NOW);
    });

    it.each([
      ["stale", -HOUR - 1],
      ["future", HOUR + 1],
    ])("rejects a %s timestamp even when correctly signed", async (_name, skew) => {
      const signed = headers(signDingTalk(NOW.getTime() + skew, SECRET));
      await expect(verifyRobotRequest(primitives, signed, SECRET, NOW)).rejects.toMatchObject({
        code: "stale_timestamp",
        status: 401,
      });
    });

    it.each(["timestamp", "sign"])("rejects a request without the %s header", async (missing) => {
      const signed = signDingTalk(NOW.getTime(), SECRET);
      delete signed[missing];
      await expect(verifyRobotRequest(primitives, headers(signed), SECRET, NOW)).rejects.toMatchObject({
        code: "missing_signature",
        status: 401,
      });
    });

    it("rejects a timestamp that is not a number", async () => {
      const signed = headers(signDingTalk("17642k2000000", SECRET));
      await expect(verifyRobotRequest(primitives, signed, SECRET, NOW)).rejects.toMatchObject({
        status: 401,
      });
    });

    it("rejects a wrong digest", async () => {
      const signed = signDingTalk(NOW.getTime(), SECRET);
      const sign = signed.sign as string;
      signed.sign = `${sign[0] === "A" ? "B" : "A"}${sign.slice(1)}`;
      await expect(verifyRobotRequest(primitives, headers(signed), SECRET, NOW)).rejects.toMatchObject({
        code: "bad_signature",
        status: 401,
      });
    });

    it("rejects a signature made with another secret", async () => {
      const signed = headers(signDingTalk(NOW.getTime(), "someone-else"));
      await expect(verifyRobotRequest(primitives, signed, SECRET, NOW)).rejects.toMatchObject({
        code: "bad_signature",
      });
    });

    it("rejects a sign copied onto another timestamp", async () => {
      const { sign } = signDingTalk(NOW.getTime(), SECRET);
      const moved = headers({ timestamp: String(NOW.getTime() + 1), sign: sign as string });
      await expect(verifyRobotRequest(primitives, moved, SECRET, NOW)).rejects.toMatchObject({
        code: "bad_signature",
      });
    });

    it("fails closed when no client secret is configured", async () => {
      const signed = headers(signDingTalk(NOW.getTime(), ""));
      await expect(verifyRobotRequest(primitives, signed, "", NOW)).rejects.toMatchObject({ status: 401 });
    });
  });

  describe("verifyCardCallback", () => {
    it("accepts the published vector and returns its timestamp", async () => {
      const signed = headers({
        "x-ddpaas-signature-timestamp": VECTOR_TS,
        "x-ddpaas-signature": "9EQUhx+gSqHfgSF/OnOV2ifDC9m1VzjPj00L/WOZeew=",
      });
      await expect(
        verifyCardCallback(primitives, signed, "example-secret", VECTOR_TIME),
      ).resolves.toMatchObject({
        timestamp: VECTOR_TS,
      });
    });

    it("accepts a node:crypto-signed callback with a timestamp in seconds", async () => {
      const seconds = String(Math.floor(NOW.getTime() / 1000) - 30);
      await expect(
        verifyCardCallback(primitives, headers(signDingTalkCard(seconds, SECRET)), SECRET, NOW),
      ).resolves.toMatchObject({ timestamp: seconds });
    });

    it("refuses every callback when no callback secret is configured", async () => {
      const signed = headers(signDingTalkCard(NOW.getTime(), SECRET));
      await expect(verifyCardCallback(primitives, signed, undefined, NOW)).rejects.toMatchObject({
        code: "missing_signature",
        status: 401,
      });
    });

    it.each(["x-ddpaas-signature-timestamp", "x-ddpaas-signature"])(
      "rejects a callback without %s",
      async (missing) => {
        const signed = signDingTalkCard(NOW.getTime(), SECRET);
        delete signed[missing];
        await expect(verifyCardCallback(primitives, headers(signed), SECRET, NOW)).rejects.toMatchObject({
          code: "missing_signature",
        });
      },
    );

    it.each([
      ["stale", -HOUR - 1],
      ["future", HOUR + 1],
    ])("rejects a %s callback", async (_name, skew) => {
      const signed = headers(signDingTalkCard(NOW.getTime() + skew, SECRET));
      await expect(verifyCardCallback(primitives, signed, SECRET, NOW)).rejects.toMatchObject({
        code: "stale_timestamp",
      });
    });

    it("rejects a callback signed with another secret", async () => {
      const signed = headers(signDingTalkCard(NOW.getTime(), "wrong"));
      await expect(verifyCardCallback(primitives, signed, SECRET, NOW)).rejects.toMatchObject({
        code: "bad_signature",
      });
    });

    it("does not accept the robot-message signature form for cards", async () => {
      const robot = signDingTalk(NOW.getTime(), SECRET);
      const signed = headers({
        "x-ddpaas-signature-timestamp": robot.timestamp as string,
        "x-ddpaas-signature": robot.sign as string,
      });
      await expect(verifyCardCallback(primitives, signed, SECRET, NOW)).rejects.toMatchObject({
        code: "bad_signature",
      });
    });
  });
});
