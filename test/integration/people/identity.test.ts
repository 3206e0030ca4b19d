// First contact creates one person per platform account, even when two first messages race; OPS_ADMINS bootstrap.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, identities, people, personRoles } from "../../../src/db/schema/index.ts";
import { personForContact } from "../../../src/domain/people/people.ts";
import { useTestDatabase } from "../../helpers/database.ts";

const NOW = new Date("2026-11-26T02:00:00Z");
const t = useTestDatabase();

const contact = (userId: string, extra: { name?: string; bootstrapAdmin?: boolean } = {}) =>
  personForContact(t.database.db, {
    platform: "lark",
    userId,
    name: extra.name,
    bootstrapAdmin: extra.bootstrapAdmin ?? false,
    now: NOW,
  });

describe("first contact", () => {
  it("creates a person and its identity once, with a person.created audit row", async () => {
    const first = await contact("ou_wang", { name: "Wang Wei" });
    const again = await contact("ou_wang", { name: "Wang Wei" });

    expect(again.personId).toBe(first.personId);
    expect(first).toMatchObject({ name: "Wang Wei", roles: [] });
    expect(await t.database.db.select().from(identities)).toEqual([
      expect.objectContaining({ platform: "lark", platformUserId: "ou_wang", personId: first.personId }),
    ]);
    const created = await t.database.db.select().from(auditLog).where(eq(auditLog.action, "person.created"));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ entityId: String(first.personId), platform: "lark" });
  });

  it("keeps different platforms' accounts apart even with the same user id", async () => {
    const lark = await contact("same-id");
    const dingtalk = await personForContact(t.database.db, {
      platform: "dingtalk",
      userId: "same-id",
      bootstrapAdmin: false,
      now: NOW,
    });
    expect(dingtalk.personId).not.toBe(lark.personId);
  });

  it("ends with one person when 20 first messages from one account arrive at once", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => contact("ou_race", { name: "Race" })));

    expect(new Set(results.map((result) => result.personId)).size).toBe(1);
    expect(await t.database.db.$count(people)).toBe(1);
    expect(await t.database.db.$count(identities)).toBe(1);
    expect(await t.database.db.$count(auditLog, eq(auditLog.action, "person.created"))).toBe(1);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "on Postgres only (PGlite runs one transaction at a time): uses the other request's person when that one links the account while this one is creating it",
    async () => {
      // A transaction that has linked ou_slow but not committed yet: the contact below cannot see it, creates
      // its own person, then waits on the identity's key until the other one commits.
      let commit = () => {};
      const held = new Promise<void>((resolve) => {
        commit = resolve;
      });
      let linked = () => {};
      const isLinked = new Promise<void>((resolve) => {
        linked = resolve;
      });
      let otherPersonId = 0;
      const other = t.database.db.transaction(async (tx) => {
        const [person] = await tx
          .insert(people)
          .values({ displayName: "Slow", createdAt: NOW })
          .returning({ id: people.id });
        otherPersonId = (person as { id: number }).id;
        await tx
          .insert(identities)
          .values({ platform: "lark", platformUserId: "ou_slow", personId: otherPersonId, createdAt: NOW });
        linked();
        await held;
      });
      await isLinked;
      const racing = contact("ou_slow");
      // Wait (without sleeping) until the contact is blocked on the uncommitted identity.
      for (let waiting = 0; waiting === 0; ) {
        const rows = (await t.database.db.execute(
          sql`select count(*)::int as n from pg_stat_activity
              where wait_event_type = 'Lock' and datname = current_database()`,
        )) as unknown as { n: number }[];
        waiting = rows[0]?.n ?? 0;
      }
      commit();
      await other;

      expect((await racing).personId).toBe(otherPersonId);
      expect(await t.database.db.$count(people)).toBe(1);
      expect(await t.database.db.$count(auditLog, eq(auditLog.action, "person.created"))).toBe(0);
    },
  );

  it("refreshes the display name when the platform reports a new one", async () => {
    const { personId } = await contact("ou_li", { name: "Li" });
    const renamed = await contact("ou_li", { name: "Li Na" });

    expect(renamed.name).toBe("Li Na");
    const [row] = await t.database.db.select().from(people).where(eq(people.id, personId));
    expect(row?.displayName).toBe("Li Na");
  });
});

describe("OPS_ADMINS bootstrap", () => {
  it("makes a listed account admin on first contact, audited once, without an actor", async () => {
    const first = await contact("ou_boss", { bootstrapAdmin: true });
    const second = await contact("ou_boss", { bootstrapAdmin: true });

    expect(first.roles).toEqual(["admin"]);
    expect(second.roles).toEqual(["admin"]);
    const grants = await t.database.db.select().from(auditLog).where(eq(auditLog.action, "role.granted"));
    expect(grants).toEqual([
      expect.objectContaining({
        actorPersonId: null,
        entityType: "person",
        entityId: String(first.personId),
        before: { roles: [] },
        after: { roles: ["admin"] },
      }),
    ]);
  });

  it("gives an account that is not listed no role", async () => {
    const person = await contact("ou_someone");
    expect(person.roles).toEqual([]);
    expect(await t.database.db.$count(personRoles)).toBe(0);
  });
});
