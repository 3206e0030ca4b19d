// /bind and /unbind end to end through signed webhooks: a code asked on Lark, redeemed on DingTalk or WeCom and
// confirmed on Lark; a stolen, an expired, a reused and a guessed code change nothing; admins unbind anyone.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, bindCodes, identities, inbox, people, tasks } from "../../src/db/schema/index.ts";
import { knownPerson } from "../../src/domain/people/people.ts";
import { BIND_FAILED_ATTEMPTS_MAX } from "../../src/domain/policy.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage } from "../helpers/e2e-harness.ts";

// Wednesday 2026-11-25 10:00 in Shanghai, a working day.
const START = new Date("2026-11-25T02:00:00Z");
const area = useAreaTest({ prefix: "bind", start: START, larkChat: "oc_floor", larkSender: "ou_alice" });

/** Alice asks for a code in her direct chat with the bot on Lark; returns the code the reply gives. */
async function askOnLark(sender = "ou_alice"): Promise<string> {
  await area.postLark("/bind", { chatType: "p2p", chatId: `oc_dm_${sender}`, sender });
  const code = /binding code: ([A-Z0-9]{8})/.exec(area.lastLark())?.[1];
  if (!code) throw new Error(`no code in ${area.lastLark()}`);
  return code;
}

let dingSent = 0;

/** A DingTalk message in the robot's 1:1 chat from `staffId`; returns the reply text. */
async function onDingTalk(text: string, staffId: string, name: string): Promise<string> {
  const { h, fakes } = area;
  const overrides = {
    conversationType: "1",
    conversationId: `cid_dm_${staffId}`,
    conversationTitle: undefined,
    atUsers: [],
    senderStaffId: staffId,
    senderNick: name,
  };
  expect(await sendDingTalkMessage(h, fakes, text, area.messageId(`ding${++dingSent}`), overrides)).toBe(200);
  return JSON.stringify(fakes.dingtalk.delivered.at(-1)?.body);
}

/**
 * The direct messages sent (the outbox rows that went out) to a Lark account, as JSON text. Read from the outbox:
 * the fake Lark, like Lark, takes a message uuid once, and these keys repeat across tests of one file.
 */
const larkDirect = async (openId: string) =>
  JSON.stringify(
    (await area.h.outboxRows()).filter(
      (row) => row.status === "sent" && (row.target as { chatId?: string }).chatId === openId,
    ),
  );

const personOf = async (platform: "lark" | "dingtalk" | "wecom", userId: string) =>
  (await knownPerson(area.database.db, platform, userId))?.personId;

const identityRows = () =>
  area.database.db.select().from(identities).orderBy(identities.platform, identities.platformUserId);

describe("/bind from Lark to DingTalk", () => {
  it("links the DingTalk account to Alice only after Alice confirms on Lark; her role and the task follow", async () => {
    const alice = await area.withRole("lark", "ou_alice", "cs");
    const dingPerson = await area.withRole("dingtalk", "ding_alice", "staff");
    const now = area.h.clock.now();
    await area.database.db.insert(tasks).values({
      number: "T-20261125-001",
      title: "call back",
      ownerId: dingPerson,
      dueDate: "2026-11-27",
      status: "open",
      sourceType: "command",
      sourceId: "T-20261125-001",
      createdAt: now,
      createdBy: dingPerson,
    });
    const code = await askOnLark();

    const claimed = await onDingTalk(`/绑定 ${code.toLowerCase()}`, "ding_alice", "Alice");
    expect(claimed).toContain("请回到飞书上原来的账号");
    // Alice is told on Lark which account used her code.
    expect(await larkDirect("ou_alice")).toContain(
      "DingTalk account Alice (ding_alice) used your binding code",
    );
    expect(await personOf("dingtalk", "ding_alice")).toBe(dingPerson);

    await area.postLark(`/bind ${code}`, { chatType: "p2p", chatId: "oc_dm_ou_alice" });
    expect(area.lastLark()).toContain("Linked: your DingTalk account (ding_alice)");
    expect(await personOf("dingtalk", "ding_alice")).toBe(alice);
    const joined = await knownPerson(area.database.db, "dingtalk", "ding_alice");
    expect(joined?.roles).toEqual(["cs", "staff"]);
    expect(await area.database.db.select().from(people).where(eq(people.id, dingPerson))).toEqual([]);
    const [task] = await area.database.db.select().from(tasks);
    expect(task).toMatchObject({ ownerId: alice, createdBy: alice });

    const actions = await area.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityType, "person"));
    expect(actions.map((row) => row.action)).toEqual(
      expect.arrayContaining(["bind.code_issued", "bind.claimed", "person.bound"]),
    );
    // Only the hash is kept; the inbox stores the messages with the code redacted; no message but the reply that
    // gives it repeats it.
    const otherMessages = (await area.h.outboxRows()).filter(
      (row) => !JSON.stringify(row.message).includes("Your binding code"),
    );
    const stored = JSON.stringify([
      await area.database.db.select().from(bindCodes),
      await area.database.db.select().from(inbox),
      otherMessages,
    ]);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(code.toLowerCase());
  });

  it("gives no code in a group: it asks for a direct chat, and stores nothing", async () => {
    await area.postLark("/bind");
    expect(area.lastLark()).toContain("send /bind to me in a direct chat");
    expect(await area.database.db.select().from(bindCodes)).toEqual([]);
  });
});

describe("/bind refusals change nothing", () => {
  it("a stolen code used by another person's account only proposes it: Alice is told, and Mallory is not linked", async () => {
    const alice = await area.withRole("lark", "ou_alice", "admin");
    const mallory = await area.withRole("dingtalk", "ding_mallory", "staff");
    const code = await askOnLark();
    const before = await identityRows();

    expect(await onDingTalk(`/bind ${code}`, "ding_mallory", "Mallory")).toContain(
      "Now confirm on your Lark account",
    );
    expect(await larkDirect("ou_alice")).toContain(
      "DingTalk account Mallory (ding_mallory) used your binding code",
    );
    // Mallory cannot confirm for Alice, and Alice's own DingTalk account can no longer use the code.
    expect(await onDingTalk(`/bind ${code}`, "ding_mallory", "Mallory")).toContain("already used");
    expect(await onDingTalk(`/bind ${code}`, "ding_alice", "Alice")).toContain("already used");
    expect(await identityRows()).toEqual(
      expect.arrayContaining(
        before.map((row) =>
          expect.objectContaining({ platformUserId: row.platformUserId, personId: row.personId }),
        ),
      ),
    );
    expect(await personOf("dingtalk", "ding_mallory")).toBe(mallory);
    expect((await knownPerson(area.database.db, "dingtalk", "ding_mallory"))?.roles).toEqual(["staff"]);
    expect(await personOf("lark", "ou_alice")).toBe(alice);
  });

  it("an expired code is refused and links nothing", async () => {
    await area.withRole("lark", "ou_alice", "cs");
    const code = await askOnLark();
    area.h.clock.advance(11 * 60_000);
    expect(await onDingTalk(`/bind ${code}`, "ding_alice", "Alice")).toContain("that code has expired");
    expect(
      await area.database.db.select().from(bindCodes).where(eq(bindCodes.claimedPlatform, "dingtalk")),
    ).toEqual([]);
  });

  it("a used code is refused on WeCom after it linked DingTalk", async () => {
    const alice = await area.withRole("lark", "ou_alice", "cs");
    const code = await askOnLark();
    await onDingTalk(`/bind ${code}`, "ding_alice", "Alice");
    await area.postLark(`/bind ${code}`, { chatType: "p2p", chatId: "oc_dm_ou_alice" });
    expect(await personOf("dingtalk", "ding_alice")).toBe(alice);
    expect(await sendWeComAppMessage(area.h, `/bind ${code}`, area.messageId("wecom"))).toBe(200);
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain("already used");
    expect(await personOf("wecom", "zhangsan")).not.toBe(alice);
  });

  it(`locks an account out after ${BIND_FAILED_ATTEMPTS_MAX} wrong codes, even for the right one`, async () => {
    await area.withRole("lark", "ou_alice", "cs");
    const code = await askOnLark();
    for (let n = 0; n < BIND_FAILED_ATTEMPTS_MAX; n++)
      expect(await onDingTalk(`/bind WRONG00${n}`, "ding_guess", "Guess")).toContain("that code is wrong");
    expect(await onDingTalk(`/bind ${code}`, "ding_guess", "Guess")).toContain("too many wrong codes");
    expect(
      await area.database.db.select().from(bindCodes).where(eq(bindCodes.claimedPlatform, "dingtalk")),
    ).toEqual([]);
  });
});

describe("WeCom: linking and unbinding", () => {
  it("links the WeCom app account; /unbind there takes it out again, with no roles, and is audited", async () => {
    const alice = await area.withRole("lark", "ou_alice", "manager");
    const code = await askOnLark();
    expect(await sendWeComAppMessage(area.h, `/bind ${code}`, area.messageId("claim"))).toBe(200);
    await area.postLark(`/bind ${code}`, { chatType: "p2p", chatId: "oc_dm_ou_alice" });
    expect(await personOf("wecom", "zhangsan")).toBe(alice);

    expect(await sendWeComAppMessage(area.h, "/unbind", area.messageId("unbind"))).toBe(200);
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain("is now a person of its own");
    const split = await knownPerson(area.database.db, "wecom", "zhangsan");
    expect(split?.personId).not.toBe(alice);
    expect(split?.roles).toEqual([]);
    expect((await knownPerson(area.database.db, "lark", "ou_alice"))?.roles).toEqual(["manager"]);
    const [unbound] = await area.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "person.unbound"), eq(auditLog.platform, "wecom")));
    expect(unbound).toMatchObject({ entityId: String(alice) });
  });
});

describe("after linking, direct messages follow the person", () => {
  it("a task's reminder goes to Alice's Lark and WeCom accounts, one each", async () => {
    const alice = await area.withRole("lark", "ou_alice", "staff");
    const code = await askOnLark();
    expect(await sendWeComAppMessage(area.h, `/bind ${code}`, area.messageId("claim"))).toBe(200);
    await area.postLark(`/bind ${code}`, { chatType: "p2p", chatId: "oc_dm_ou_alice" });
    const now = area.h.clock.now();
    await area.database.db.insert(tasks).values({
      number: "T-20261125-009",
      title: "call back",
      ownerId: alice,
      dueDate: "2026-11-26",
      status: "open",
      sourceType: "command",
      sourceId: "T-20261125-009",
      remindAt: now,
      createdAt: now,
      createdBy: alice,
    });
    await area.h.services.runJobNow("task-reminders", now, "test");
    const reminders = (await area.h.outboxRows())
      .map((row) => row.idempotencyKey)
      .filter((key) => key.startsWith("task-reminder:T-20261125-009"));
    expect(reminders.map((key) => key.split(":").slice(-2).join(":")).sort()).toEqual([
      "lark:ou_alice",
      "wecom:zhangsan",
    ]);
  });
});

describe("/unbind by an admin", () => {
  it("an admin unbinds Alice's Lark account by mention; a non-admin may not", async () => {
    const alice = await area.withRole("lark", "ou_alice", "cs");
    const code = await askOnLark();
    await onDingTalk(`/bind ${code}`, "ding_alice", "Alice");
    await area.postLark(`/bind ${code}`, { chatType: "p2p", chatId: "oc_dm_ou_alice" });
    await area.withRole("lark", "ou_admin", "admin");
    await area.withRole("lark", "ou_bob", "staff");
    const mention = [{ key: "@_user_1", openId: "ou_alice", name: "Alice" }];

    await area.postLark("/unbind @_user_1", { sender: "ou_bob", mentions: mention });
    expect(area.lastLark()).toContain("only admins may unbind someone else");
    expect(await personOf("lark", "ou_alice")).toBe(alice);

    await area.postLark("/unbind @_user_1", { sender: "ou_admin", mentions: mention });
    expect(area.lastLark()).toContain("Unbound: the Lark account");
    expect(await personOf("lark", "ou_alice")).not.toBe(alice);
    expect(await personOf("dingtalk", "ding_alice")).toBe(alice);
    expect((await knownPerson(area.database.db, "dingtalk", "ding_alice"))?.roles).toEqual(["cs"]);
    const [audited] = await area.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "person.unbound"));
    expect(audited?.actorPersonId).toBe(await personOf("lark", "ou_admin"));
  });
});
