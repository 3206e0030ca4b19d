// Statements drizzle sends are prepared once per connection and reused, outside and inside transactions.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openPostgres } from "../../../src/db/postgres.ts";
import { chats } from "../../../src/db/schema/index.ts";
import { openTestDatabase } from "../../helpers/database.ts";

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe.skipIf(!onPostgres)("prepared statements on Postgres", () => {
  it("prepares a query the first time and reuses it after, in a transaction and a savepoint too", async () => {
    const testDatabase = await openTestDatabase();
    // One connection, so that every statement below meets the same prepared-statement list.
    const database = openPostgres(testDatabase.url as string, { max: 1 });
    try {
      const { db } = database;
      const preparedCount = async () => {
        const [row] = (await db.execute(
          sql`select count(*)::int as n from pg_prepared_statements where statement like '%"chats"%'`,
        )) as unknown as { n: number }[];
        return row?.n ?? 0;
      };
      const readChat = (tx: typeof db, id: string) =>
        tx.select().from(chats).where(eq(chats.chatId, id)).limit(1);

      expect(await preparedCount()).toBe(0);
      await readChat(db, "oc_1");
      await readChat(db, "oc_2");
      expect(await preparedCount()).toBe(1);
      await db.transaction(async (tx) => {
        await readChat(tx as unknown as typeof db, "oc_3");
        await tx.transaction(async (savepoint) => {
          await readChat(savepoint as unknown as typeof db, "oc_4");
        });
      });
      expect(await preparedCount()).toBe(1);
      await db.insert(chats).values({
        platform: "lark",
        chatId: "oc_5",
        kind: "group",
        createdAt: new Date(0),
        updatedAt: new Date(0),
      });
      expect(await preparedCount()).toBe(2);
    } finally {
      await database.close();
      await testDatabase.close();
    }
  });
});
