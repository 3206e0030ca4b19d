// The directory's version: what a cached sender is checked against, moved on by every real change to people and roles.
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { directoryVersion, people } from "../../../src/db/schema/index.ts";
import { grantRole, personForContact } from "../../../src/domain/people/people.ts";
import { useTestDatabase } from "../../helpers/database.ts";

const t = useTestDatabase();
const at = new Date("2026-11-26T01:00:00Z");

const version = async () => {
  const [row] = await t.database.db.select({ version: directoryVersion.version }).from(directoryVersion);
  return row?.version;
};

it("moves on for a new person, a new role and a renamed person, and stays for a write that changes nothing", async () => {
  const start = await version();
  const known = await personForContact(t.database.db, {
    platform: "lark",
    userId: "ou_li",
    name: "李娜",
    bootstrapAdmin: false,
    now: at,
  });
  const afterNew = await version();
  expect(afterNew).not.toEqual(start);

  await grantRole(t.database.db, { personId: known.personId, role: "manager", by: null, now: at });
  const afterRole = await version();
  expect(afterRole).not.toEqual(afterNew);

  // The same person seen again, and an update that writes what is there: nothing a cached copy could miss.
  await personForContact(t.database.db, {
    platform: "lark",
    userId: "ou_li",
    name: "李娜",
    bootstrapAdmin: false,
    now: at,
  });
  await t.database.db
    .update(people)
    .set({ displayName: sql`${people.displayName}` })
    .where(eq(people.id, known.personId));
  expect(await version()).toEqual(afterRole);

  await t.database.db.update(people).set({ displayName: "李娜娜" }).where(eq(people.id, known.personId));
  expect(await version()).not.toEqual(afterRole);
});
