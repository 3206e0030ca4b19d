// The replay guard for platforms whose signature does not cover the body: a signed pair takes new bodies only
// just after its first use.
import { and, eq, lt } from "drizzle-orm";
import type { PlatformId } from "../chat/events.ts";
import type { Db } from "../db/database.ts";
import { signatureUses } from "../db/schema/index.ts";
import type { CryptoPrimitives } from "../platforms/shared/crypto-primitives.ts";
import { hexEncode } from "../platforms/shared/web-crypto.ts";

/** DingTalk accepts a timestamp up to one hour either side of now, so a pair verifies for two hours at most. */
const PAIR_VALID_MS = 2 * 60 * 60 * 1000;

/**
 * How long after a pair's first use it still takes another body. DingTalk signs the timestamp alone, so two
 * distinct messages (or clicks) sent in the same millisecond carry the same pair; DingTalk sends them together,
 * and they reach us within moments of each other. A pair taken from a log or a capture and sent with another
 * body later than this is a replay. Measured on our clock from the first use, not from the signed timestamp,
 * which may be an hour off.
 */
export const SIGNED_TOGETHER_MS = 60_000;

/**
 * "new_body" for a body accepted under the pair now (recorded): the pair's first use, or another message
 * signed in the same instant; "same_body" for a body accepted under it before (the platform retrying; the inbox
 * deduplicates it); "other_body" for a new body after SIGNED_TOGETHER_MS: a replay.
 * Shared by every instance through the database; rows past the span a pair can verify in are deleted.
 */
export async function claimSignature(
  db: Db,
  primitives: CryptoPrimitives,
  use: { platform: PlatformId; signature: string; body: Uint8Array<ArrayBuffer>; now: Date },
): Promise<"new_body" | "same_body" | "other_body"> {
  const bodyDigest = hexEncode(await primitives.sha256(use.body));
  await db.delete(signatureUses).where(lt(signatureUses.seenAt, new Date(use.now.getTime() - PAIR_VALID_MS)));
  const seen = await db
    .select({ bodyDigest: signatureUses.bodyDigest, seenAt: signatureUses.seenAt })
    .from(signatureUses)
    .where(and(eq(signatureUses.platform, use.platform), eq(signatureUses.signature, use.signature)));
  if (seen.some((row) => row.bodyDigest === bodyDigest)) return "same_body";
  const firstUse = seen.length > 0 ? Math.min(...seen.map((row) => row.seenAt.getTime())) : use.now.getTime();
  if (use.now.getTime() - firstUse > SIGNED_TOGETHER_MS) return "other_body";
  await db
    .insert(signatureUses)
    .values({ platform: use.platform, signature: use.signature, bodyDigest, seenAt: use.now })
    .onConflictDoNothing();
  return "new_body";
}
