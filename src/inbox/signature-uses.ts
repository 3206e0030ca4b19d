// Accepts a signed header pair with one body only, for platforms whose signature does not cover the body.
import { and, eq, lt } from "drizzle-orm";
import type { PlatformId } from "../chat/events.ts";
import type { Db } from "../db/database.ts";
import { signatureUses } from "../db/schema/index.ts";
import type { CryptoPrimitives } from "../platforms/shared/crypto-primitives.ts";
import { hexEncode } from "../platforms/shared/web-crypto.ts";

/** DingTalk accepts a timestamp up to one hour either side of now, so a pair verifies for two hours at most. */
const PAIR_VALID_MS = 2 * 60 * 60 * 1000;

/**
 * "first" for a pair not seen before (now recorded), "same_body" for the same pair with the same bytes (the
 * platform retrying; the inbox deduplicates it), "other_body" for the same pair with other bytes: a replay.
 * Shared by every instance through the database; rows past the span a pair can verify in are deleted.
 */
export async function claimSignature(
  db: Db,
  primitives: CryptoPrimitives,
  use: { platform: PlatformId; signature: string; body: Uint8Array<ArrayBuffer>; now: Date },
): Promise<"first" | "same_body" | "other_body"> {
  const bodyDigest = hexEncode(await primitives.sha256(use.body));
  await db.delete(signatureUses).where(lt(signatureUses.seenAt, new Date(use.now.getTime() - PAIR_VALID_MS)));
  const inserted = await db
    .insert(signatureUses)
    .values({ platform: use.platform, signature: use.signature, bodyDigest, seenAt: use.now })
    .onConflictDoNothing()
    .returning({ signature: signatureUses.signature });
  if (inserted.length > 0) return "first";
  const [seen] = await db
    .select({ bodyDigest: signatureUses.bodyDigest })
    .from(signatureUses)
    .where(and(eq(signatureUses.platform, use.platform), eq(signatureUses.signature, use.signature)));
  return seen?.bodyDigest === bodyDigest ? "same_body" : "other_body";
}
