// The handler's chat memory: a chat is written when first seen or renamed, and not asked for again otherwise.
import { describe, expect, it } from "vitest";
import { chats } from "../../../src/db/schema/index.ts";
import { createChatMemory } from "../../../src/domain/people/chats.ts";
import { useTestDatabase } from "../../helpers/database.ts";

const NOW = new Date("2026-11-26T02:00:00Z");
const t = useTestDatabase();

const titles = async () =>
  (await t.database.db.select().from(chats)).map((chat) => [chat.chatId, chat.title] as const);

describe("createChatMemory", () => {
  it("writes a chat once per title: a repeat skips the database, a rename or a new chat writes", async () => {
    const remember = createChatMemory(t.database.db);
    await remember("lark", { id: "oc_ops", kind: "group", title: "运营群" }, NOW);
    expect(await titles()).toEqual([["oc_ops", "运营群"]]);

    // Proof that the repeat does not touch the table: the row removed behind its back stays gone.
    await t.database.db.delete(chats);
    await remember("lark", { id: "oc_ops", kind: "group", title: "运营群" }, NOW);
    await remember("lark", { id: "oc_ops", kind: "group" }, NOW);
    expect(await titles()).toEqual([]);

    await remember("lark", { id: "oc_ops", kind: "group", title: "运营与质量" }, NOW);
    await remember("dingtalk", { id: "oc_ops", kind: "group" }, NOW);
    expect(await titles()).toEqual([
      ["oc_ops", "运营与质量"],
      ["oc_ops", null],
    ]);
  });
});
