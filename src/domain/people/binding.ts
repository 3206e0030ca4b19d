// One person across Lark, DingTalk and WeCom: a one-time code asked on one account, redeemed on another, confirmed.
//
// The code alone never links anything: whoever redeems it only proposes their account, and the asking account
// must confirm (after it was told which account that is) by sending the same code again. So a code that leaked
// can at most produce a proposal its owner turns down. Codes are stored as SHA-256 hashes only.
import { and, count, eq, gt, isNull } from "drizzle-orm";
import type { PlatformId } from "../../chat/events.ts";
import type { Db } from "../../db/database.ts";
import { bindCodes, bindFailures, identities, people } from "../../db/schema/index.ts";
import type { Outbox } from "../../outbox/outbox.ts";
import { type Actor, auditedBy } from "../actor.ts";
import { peopleRecipients } from "../alerts/recipients.ts";
import { audit } from "../audit.ts";
import { MINUTE_MS } from "../calendar/local-time.ts";
import { type DrawnMessage, enqueueFanOut, fanOutItems } from "../notifications/fan-out.ts";
import { BIND_ATTEMPT_WINDOW_MINUTES, BIND_CODE_VALID_MINUTES, BIND_FAILED_ATTEMPTS_MAX } from "../policy.ts";
import { Refused } from "../refused.ts";
import { mergePeople } from "./merge.ts";

/** A platform account: the platform and its user id there. */
export interface Account {
  platform: PlatformId;
  userId: string;
}

export type BindRefusal =
  /** No code with this text (typo or guess). */
  | { kind: "wrong_code" }
  | { kind: "expired" }
  /** Confirmed already, replaced by a newer code, or already redeemed by some account. */
  | { kind: "used" }
  | { kind: "too_many_attempts"; retryAfterMinutes: number }
  /** The asking account itself redeemed a code nobody has proposed an account for yet. */
  | { kind: "not_claimed_yet" }
  /** This account and the asker are one person already. */
  | { kind: "already_linked" }
  /** The asker already has an account on the redeeming account's platform. */
  | { kind: "platform_taken"; platform: PlatformId }
  /** The redeeming account is linked to other accounts: it must be unbound first. */
  | { kind: "linked_elsewhere" }
  /** /unbind of an account that is its person's only one. */
  | { kind: "not_linked" };

export class BindRefused extends Refused<BindRefusal> {
  override readonly name = "BindRefused";

  constructor(refusal: BindRefusal) {
    super("bind", refusal);
  }
}

/** Letters and digits nobody misreads (no 0/O, 1/I/L): 31 symbols, 8 of them ≈ 40 bits. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LENGTH = 8;

/** Bytes at or above this would make the first symbols likelier: they are drawn again (248 = 8 × 31). */
const UNBIASED_BELOW = 256 - (256 % ALPHABET.length);

function newCode(): string {
  let code = "";
  while (code.length < CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(CODE_LENGTH))) {
      if (byte < UNBIASED_BELOW && code.length < CODE_LENGTH) code += ALPHABET[byte % ALPHABET.length];
    }
  }
  return code;
}

/** How people type a code back: case and spaces or dashes do not matter. */
export const normaliseCode = (typed: string): string => typed.replace(/[\s-]/gu, "").toUpperCase();

async function hashCode(code: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(normaliseCode(code)));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const sameAccount = (a: Account, platform: string, userId: string | null) =>
  a.platform === platform && a.userId === userId;

/** The identity row of `account`. */
const identityIs = (account: Account) =>
  and(eq(identities.platform, account.platform), eq(identities.platformUserId, account.userId));

/** Marks the codes `account` asked for and has not used as used, so none of them links any more. */
async function retireOpenCodes(tx: Db, account: Account, at: Date): Promise<void> {
  await tx
    .update(bindCodes)
    .set({ usedAt: at })
    .where(
      and(
        eq(bindCodes.platform, account.platform),
        eq(bindCodes.platformUserId, account.userId),
        isNull(bindCodes.usedAt),
      ),
    );
}

/** Asks for a code on `account` (the actor's): earlier unused codes of that account stop working. */
export async function requestBindCode(
  db: Db,
  actor: Actor,
  account: Account,
): Promise<{ code: string; expiresAt: Date }> {
  const code = newCode();
  const expiresAt = new Date(actor.at.getTime() + BIND_CODE_VALID_MINUTES * MINUTE_MS);
  const codeHash = await hashCode(code);
  await db.transaction(async (tx) => {
    await retireOpenCodes(tx, account, actor.at);
    await tx.insert(bindCodes).values({
      codeHash,
      personId: actor.personId,
      platform: account.platform,
      platformUserId: account.userId,
      createdAt: actor.at,
      expiresAt,
    });
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "person",
      entityId: String(actor.personId),
      action: "bind.code_issued",
      after: { account, expiresAt },
    });
  });
  return { code, expiresAt };
}

async function refuseCounted(db: Db, account: Account, at: Date, refusal: BindRefusal): Promise<never> {
  await db.insert(bindFailures).values({ platform: account.platform, platformUserId: account.userId, at });
  throw new BindRefused(refusal);
}

async function checkAttempts(db: Db, account: Account, at: Date): Promise<void> {
  const since = new Date(at.getTime() - BIND_ATTEMPT_WINDOW_MINUTES * MINUTE_MS);
  const [row] = await db
    .select({ failures: count() })
    .from(bindFailures)
    .where(
      and(
        eq(bindFailures.platform, account.platform),
        eq(bindFailures.platformUserId, account.userId),
        gt(bindFailures.at, since),
      ),
    );
  if ((row?.failures ?? 0) >= BIND_FAILED_ATTEMPTS_MAX)
    throw new BindRefused({ kind: "too_many_attempts", retryAfterMinutes: BIND_ATTEMPT_WINDOW_MINUTES });
}

async function accountsOf(db: Db, personId: number): Promise<Account[]> {
  const rows = await db
    .select({ platform: identities.platform, userId: identities.platformUserId })
    .from(identities)
    .where(eq(identities.personId, personId));
  return rows.map((row) => ({ platform: row.platform as PlatformId, userId: row.userId }));
}

/** Why `account` (person `personId`) cannot join person `asker`, if it cannot. */
async function joinRefusal(
  db: Db,
  asker: number,
  personId: number,
  account: Account,
): Promise<BindRefusal | undefined> {
  if (personId === asker) return { kind: "already_linked" };
  if ((await accountsOf(db, asker)).some((other) => other.platform === account.platform))
    return { kind: "platform_taken", platform: account.platform };
  if ((await accountsOf(db, personId)).length > 1) return { kind: "linked_elsewhere" };
  return undefined;
}

export type BindOutcome =
  /** Another account proposed itself; the asker was told who, and confirms with the same code. */
  | { kind: "claimed"; asker: Account }
  /** The asker confirmed: the proposing account now belongs to the asker's person. */
  | { kind: "linked"; personId: number; joined: Account; roles: string[] };

export interface BindDeps {
  db: Db;
  outbox: Outbox;
}

/** What the asking account is told when another account redeemed its code (commands/binding draws it). */
export type DrawClaim = (claimer: { account: Account; name: string }) => DrawnMessage;

/**
 * `/bind <code>` on `account` (the actor's): on another account, proposes it to the asker and tells the asker
 * directly; on the asking account, after a proposal, links the proposed account to the asker's person.
 */
export async function redeemBindCode(
  { db, outbox }: BindDeps,
  actor: Actor,
  account: Account,
  typed: string,
  drawClaim: DrawClaim,
): Promise<BindOutcome> {
  await checkAttempts(db, account, actor.at);
  const [code] = await db
    .select()
    .from(bindCodes)
    .where(eq(bindCodes.codeHash, await hashCode(typed)));
  if (!code) return refuseCounted(db, account, actor.at, { kind: "wrong_code" });
  if (code.usedAt) return refuseCounted(db, account, actor.at, { kind: "used" });
  if (code.expiresAt <= actor.at) return refuseCounted(db, account, actor.at, { kind: "expired" });
  const asker: Account = { platform: code.platform as PlatformId, userId: code.platformUserId };

  if (sameAccount(account, code.platform, code.platformUserId)) {
    if (!code.claimedPlatform || !code.claimedUserId) throw new BindRefused({ kind: "not_claimed_yet" });
    return confirm(db, actor, code, {
      platform: code.claimedPlatform as PlatformId,
      userId: code.claimedUserId,
    });
  }
  if (code.claimedAt) return refuseCounted(db, account, actor.at, { kind: "used" });
  const refusal = await joinRefusal(db, code.personId, actor.personId, account);
  if (refusal) throw new BindRefused(refusal);

  const askerDirect = (await peopleRecipients(db, [code.personId])).get(code.personId) ?? [];
  const message = drawClaim({ account, name: actor.name });
  const keys = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(bindCodes)
      .set({ claimedPlatform: account.platform, claimedUserId: account.userId, claimedAt: actor.at })
      .where(and(eq(bindCodes.id, code.id), isNull(bindCodes.claimedAt), isNull(bindCodes.usedAt)))
      .returning({ id: bindCodes.id });
    if (!claimed) throw new BindRefused({ kind: "used" });
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "person",
      entityId: String(code.personId),
      action: "bind.claimed",
      after: { account, asker },
    });
    const toAsker = askerDirect.filter(
      (recipient) => recipient.platform === asker.platform && recipient.chatId === asker.userId,
    );
    return enqueueFanOut(outbox, fanOutItems(`bind-claim:${code.id}`, toAsker, message), tx);
  });
  await outbox.deliver(keys);
  return { kind: "claimed", asker };
}

async function confirm(
  db: Db,
  actor: Actor,
  code: typeof bindCodes.$inferSelect,
  joining: Account,
): Promise<BindOutcome> {
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(bindCodes)
      .set({ usedAt: actor.at })
      .where(and(eq(bindCodes.id, code.id), isNull(bindCodes.usedAt)))
      .returning({ id: bindCodes.id });
    if (!used) throw new BindRefused({ kind: "used" });
    const [identity] = await tx
      .select({ personId: identities.personId })
      .from(identities)
      .where(identityIs(joining))
      .for("update");
    if (!identity) throw new BindRefused({ kind: "wrong_code" });
    const refusal = await joinRefusal(tx, actor.personId, identity.personId, joining);
    if (refusal) throw new BindRefused(refusal);
    const roles = await mergePeople(tx, actor.personId, identity.personId);
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "person",
      entityId: String(actor.personId),
      action: "person.bound",
      before: { mergedPersonId: identity.personId },
      after: { joined: joining, rolesBrought: roles },
    });
    return { kind: "linked", personId: actor.personId, joined: joining, roles };
  });
}

/**
 * Takes `account` out of its person: it becomes a person of its own with no roles, while the person keeps its
 * roles, tasks and history (they cannot be told apart by account). Refused when it is the person's only account.
 */
export async function unbindAccount(
  db: Db,
  actor: Actor,
  account: Account,
): Promise<{ personId: number; name: string }> {
  return db.transaction(async (tx) => {
    const [identity] = await tx
      .select({ personId: identities.personId, name: identities.name })
      .from(identities)
      .where(identityIs(account))
      .for("update");
    if (!identity || (await accountsOf(tx, identity.personId)).length < 2)
      throw new BindRefused({ kind: "not_linked" });
    const name = identity.name ?? account.userId;
    const [split] = await tx
      .insert(people)
      .values({ displayName: name, createdAt: actor.at })
      .returning({ id: people.id });
    const personId = (split as { id: number }).id;
    await tx.update(identities).set({ personId }).where(identityIs(account));
    // A code this account asked for would still link to the person it has just left.
    await retireOpenCodes(tx, account, actor.at);
    await audit(tx, {
      ...auditedBy(actor),
      entityType: "person",
      entityId: String(identity.personId),
      action: "person.unbound",
      before: { personId: identity.personId },
      after: { account, personId },
    });
    return { personId, name };
  });
}
