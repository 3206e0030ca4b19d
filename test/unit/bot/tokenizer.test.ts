import { describe, expect, it } from "vitest";
import { restOfLine, tokenize } from "../../../src/bot/tokenizer.ts";
import type { Person } from "../../../src/chat/events.ts";

const words = (text: string, mentions: Person[] = []) => {
  const { command, args } = tokenize(text, mentions);
  return { command: command?.text ?? null, args: args.map((token) => token.text) };
};

describe("tokenize: separators", () => {
  it("splits on ASCII, ideographic (U+3000) and other Unicode spaces", () => {
    expect(words("/下单\u3000华为\u2005X1\u00a0100\t2026-12-01")).toEqual({
      command: "下单",
      args: ["华为", "X1", "100", "2026-12-01"],
    });
    expect(words("  /order   new\n华为\u200bX1  ")).toEqual({
      command: "order",
      args: ["new", "华为", "X1"],
    });
  });

  it("splits on full-width ，：； but keeps a colon between digits", () => {
    expect(words("/下单 华为：X1，100；2026-12-01")).toEqual({
      command: "下单",
      args: ["华为", "X1", "100", "2026-12-01"],
    });
    expect(words("/订阅 日报 09：30")).toEqual({ command: "订阅", args: ["日报", "09：30"] });
  });

  it("accepts the full-width slash", () => {
    expect(words("／帮助 下单")).toEqual({ command: "帮助", args: ["下单"] });
  });

  it("is not a command without a leading slash", () => {
    expect(tokenize("hello /help").command).toBeNull();
    expect(tokenize("").command).toBeNull();
    expect(tokenize("   ").command).toBeNull();
  });
});

describe("tokenize: quotes", () => {
  it("groups words in straight and curly quotes", () => {
    expect(words('/order new "Acme Inc" X1')).toEqual({ command: "order", args: ["new", "Acme Inc", "X1"] });
    expect(words("/下单 “华为 技术” X1")).toEqual({ command: "下单", args: ["华为 技术", "X1"] });
    expect(words("/下单 ‘华为 技术’ X1")).toEqual({ command: "下单", args: ["华为 技术", "X1"] });
  });

  it("closes a double quote with any double quote, since IMEs mix them up", () => {
    expect(words("/下单 “华为 技术“ X1")).toEqual({ command: "下单", args: ["华为 技术", "X1"] });
  });

  it("keeps separators inside quotes and marks the token quoted", () => {
    const { args } = tokenize("/投诉 “华为，深圳” 坏了");
    expect(args[0]).toMatchObject({ text: "华为，深圳", quoted: true });
    expect(args[1]).toMatchObject({ text: "坏了", quoted: false });
  });

  it("runs an unclosed quote to the end of the text", () => {
    expect(words('/投诉 华为 "包装 破损')).toEqual({ command: "投诉", args: ["华为", "包装 破损"] });
  });

  it("keeps a quote inside a word literal", () => {
    expect(words('/inspect 5"pipe')).toEqual({ command: "inspect", args: ['5"pipe'] });
  });
});

describe("tokenize: mentions", () => {
  const wang: Person = { id: "ou_wang", name: "Wang Wei" };
  const li: Person = { id: "ou_li", name: "Li" };
  const liNa: Person = { id: "ou_lina", name: "Li Na" };

  it("maps an @Name whose name has spaces to the mentioned person, whole", () => {
    const { args } = tokenize("/role grant @Wang Wei manager", [wang]);
    expect(args.map((token) => token.text)).toEqual(["grant", "@Wang Wei", "manager"]);
    expect(args[1]?.mention).toEqual(wang);
    expect(args[0]?.mention).toBeUndefined();
  });

  it("maps the n-th @ to the n-th mention, even when one name starts another", () => {
    const { args } = tokenize("/x @Li @Li Na", [li, liNa]);
    expect(args.map((token) => [token.text, token.mention?.id])).toEqual([
      ["@Li", "ou_li"],
      ["@Li Na", "ou_lina"],
    ]);
  });

  it("maps by position when the platform gives no names (DingTalk)", () => {
    const { args } = tokenize("/角色 授予 @张三 客服", [{ id: "staff_1" }]);
    expect(args[1]).toMatchObject({ text: "@张三", mention: { id: "staff_1" } });
  });

  it("leaves an @ without a matching mention as a plain word, and ignores @ inside words", () => {
    const { args } = tokenize("/x a@b.com @Ghost", []);
    expect(args.map((token) => [token.text, token.mention])).toEqual([
      ["a@b.com", undefined],
      ["@Ghost", undefined],
    ]);
  });

  it("counts a mention written inside quotes, so later mentions keep their positions", () => {
    const { args } = tokenize("/x “谢谢 @Li” @Wang Wei", [li, wang]);
    expect(args[0]).toMatchObject({ text: "谢谢 @Li", quoted: true });
    expect(args[0]?.mention).toBeUndefined();
    expect(args[1]?.mention).toEqual(wang);
  });

  it("skips leading @-mentions before the command, names with spaces included", () => {
    expect(words("@Ops Bot /help order")).toEqual({ command: "help", args: ["order"] });
    expect(words("＠运营助手 ／订单 逾期")).toEqual({ command: "订单", args: ["逾期"] });
  });

  it("a leading mention of a listed person uses up that person", () => {
    const { command, args } = tokenize("@Li Na /role grant @Wang Wei qa", [liNa, wang]);
    expect(command?.text).toBe("role");
    expect(args[1]?.mention).toEqual(wang);
  });

  it("is not a command when only mentions are written", () => {
    expect(tokenize("@Ops Bot hello").command).toBeNull();
  });
});

describe("restOfLine", () => {
  it("keeps the user's own spacing and punctuation across tokens", () => {
    const { source, args } = tokenize("/延期 O-20261126-001 2026-12-08 客户要求，  推迟 “一周”");
    expect(restOfLine(source, args.slice(2))).toBe("客户要求，  推迟 “一周”");
  });

  it("drops the quotes of a single quoted token", () => {
    const { source, args } = tokenize("/投诉 华为 “包装破损”");
    expect(restOfLine(source, args.slice(1))).toBe("包装破损");
  });
});
