// A rest argument before required single words ("<title…> @owner <due>"): the words are read from the end.
import { describe, expect, it } from "vitest";
import { arg, createRegistry, defineCommand } from "../../../src/bot/index.ts";
import { formatError, parseCommand } from "../../../src/bot/parse.ts";

const taskNew = defineCommand({
  id: "task.new",
  names: { en: ["task new"], zh: ["待办 新建"] },
  description: { zh: "新建待办", en: "new task" },
  example: "fix the pump @wang 2026-12-01",
  args: {
    title: arg.rest({ label: { zh: "事项", en: "title" } }),
    owner: arg.text({ label: { zh: "@负责人", en: "@owner" } }),
    due: arg.date({ label: { zh: "截止日期", en: "due date" } }),
  },
  handler: ({ reply }) => reply.text("ok", "ok"),
});
const registry = createRegistry({ commands: [taskNew], actions: [] });

const parse = (text: string) => parseCommand(text, [], registry);

describe("a rest argument followed by required words", () => {
  it("takes everything but the last words, spacing kept", () => {
    const result = parse("/task new finish the  quarterly plan @wang 2026-12-01");
    expect(result.ok && result.args).toEqual({
      title: "finish the  quarterly plan",
      owner: "@wang",
      due: "2026-12-01",
    });
  });

  it("names the word that is wrong when one is left out, with the usage", () => {
    const result = parse("/task new fix the pump 2026-13-01");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(formatError(result.error, "en")).toBe(
        "due date is not a real date: 2026-13-01 — usage: /task new <title…> <owner> <due>",
      );
    }
  });

  it("reports the title missing when only the trailing words are typed", () => {
    const result = parse("/task new @wang 2026-12-01");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatError(result.error, "en")).toMatch(/^missing title — usage: \/task new/);
  });
});
