// Linking one person's accounts across platforms: one-time codes (kept only as hashes) and failed tries.
import { index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

/**
 * A code a person asked for with /bind on one account, to be redeemed on an account of another platform and then
 * confirmed on the asking account. Only the SHA-256 of the code is stored.
 */
export const bindCodes = pgTable(
  "bind_codes",
  {
    id: serial("id").primaryKey(),
    codeHash: text("code_hash").notNull().unique(),
    /** The person who asked: the redeeming account joins this person, nobody else. */
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    /** The account that asked, where the confirmation must come from. */
    platform: text("platform").notNull(),
    platformUserId: text("platform_user_id").notNull(),
    createdAt: timestamptz("created_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    /** The account that redeemed it (once): it joins only when the asker confirms. */
    claimedPlatform: text("claimed_platform"),
    claimedUserId: text("claimed_user_id"),
    claimedAt: timestamptz("claimed_at"),
    /** Confirmed (accounts linked) or replaced by a newer code of the same account. */
    usedAt: timestamptz("used_at"),
  },
  (t) => [index("bind_codes_asker_idx").on(t.platform, t.platformUserId)],
);

/** A /bind <code> that matched no usable code: counted per account against guessing. */
export const bindFailures = pgTable(
  "bind_failures",
  {
    id: serial("id").primaryKey(),
    platform: text("platform").notNull(),
    platformUserId: text("platform_user_id").notNull(),
    at: timestamptz("at").notNull(),
  },
  (t) => [index("bind_failures_account_idx").on(t.platform, t.platformUserId, t.at)],
);
