import { describe, expect, it } from "vitest";
import { formatError, type ParseResult, parseCommand } from "../../../src/bot/parse.ts";
import type { Person } from "../../../src/chat/events.ts";
import { registry } from "./fixture-registry.ts";

const parse = (text: string, mentions: Person[] = []) => parseCommand(text, mentions, registry);

function ok(text: string, mentions: Person[] = []) {
  const result = parse(text, mentions);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${formatError(result.error, result.language)}`);
  return result;
}

/** The reply a user would get, in the language the parser chose. */
function reply(text: string, mentions: Person[] = []): string {
  const result: ParseResult = parse(text, mentions);
  if (result.ok) throw new Error(`expected ${text} to fail`);
  return formatError(result.error, result.language);
}

describe("the example error strings", () => {
  it("zh: quantity not a positive integer", () => {
    expect(reply("/下单 华为 X1 abc 2026-12-01")).toBe(
      "数量必须是正整数: abc — 用法: /下单 <客户> <型号> <数量> <交期>",
    );
  });

  it("en: quantity not a positive integer", () => {
    expect(reply("/order new Huawei X1 abc 2026-12-01")).toBe(
      "quantity must be a positive integer: abc — usage: /order new <customer> <model> <qty> <due>",
    );
  });
});

describe("language of the reply", () => {
  it("is English for an English command name even when the arguments are Chinese", () => {
    expect(ok("/order new 华为 X1 100 2026-12-01").language).toBe("en");
    expect(reply("/order new 华为 X1 多 2026-12-01")).toMatch(/^quantity must be a positive integer: 多/);
  });

  it("is Chinese for a Chinese command name", () => {
    expect(ok("/下单 Acme X1 100 2026-12-01").language).toBe("zh");
  });

  it("formats the same error in the other language with that language's name", () => {
    const result = parse("/下单 华为 X1 abc 2026-12-01");
    if (result.ok) throw new Error("expected a failure");
    expect(formatError(result.error, "en")).toBe(
      "quantity must be a positive integer: abc — usage: /order new <customer> <model> <qty> <due>",
    );
  });
});

describe("integer arguments", () => {
  it("accept ASCII and full-width digits", () => {
    expect(ok("/下单 华为 X1 100 2026-12-01").args.qty).toBe(100);
    expect(ok("/下单 华为 X1 １２０ 2026-12-01").args.qty).toBe(120);
  });

  it.each(["0", "-3", "1.5", "1e3", "99999999999999999999"])(
    "refuse %s as not a positive integer",
    (typed) => {
      expect(reply(`/下单 华为 X1 ${typed} 2026-12-01`)).toBe(
        `数量必须是正整数: ${typed} — 用法: /下单 <客户> <型号> <数量> <交期>`,
      );
    },
  );

  it("check min and max, in both languages", () => {
    expect(ok("/评分 C-20261126-001 5").args.score).toBe(5);
    expect(reply("/评分 C-20261126-001 7")).toBe("评分必须在 1 到 5 之间: 7 — 用法: /评分 <投诉号> <评分>");
    expect(reply("/complaint rate C-20261126-001 6")).toBe(
      "score must be between 1 and 5: 6 — usage: /complaint rate <complaint-no> <score>",
    );
  });
});

describe("date arguments", () => {
  it.each([
    ["2026-12-01", "2026-12-01"],
    ["2026/12/01", "2026-12-01"],
    ["2026/1/5", "2026-01-05"],
    ["２０２６－１２－０１", "2026-12-01"],
    ["２０２６／１２／０１", "2026-12-01"],
    ["2026年12月1日", "2026-12-01"],
    ["2028-02-29", "2028-02-29"],
  ])("accept %s as %s", (typed, expected) => {
    expect(ok(`/下单 华为 X1 100 ${typed}`).args.due).toBe(expected);
  });

  it("refuse what is not a date, in both languages", () => {
    expect(reply("/下单 华为 X1 100 12/01")).toBe(
      "交期必须是日期 YYYY-MM-DD: 12/01 — 用法: /下单 <客户> <型号> <数量> <交期>",
    );
    expect(reply("/order new Huawei X1 100 tomorrow")).toBe(
      "due date must be a date YYYY-MM-DD: tomorrow — usage: /order new <customer> <model> <qty> <due>",
    );
    expect(reply("/下单 华为 X1 100 2026-12/01")).toMatch(/^交期必须是日期/);
  });

  it.each(["2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10", "2026-04-31"])(
    "refuse %s as not a real date",
    (typed) => {
      expect(reply(`/下单 华为 X1 100 ${typed}`)).toBe(
        `交期不是真实存在的日期: ${typed} — 用法: /下单 <客户> <型号> <数量> <交期>`,
      );
      expect(reply(`/order new Huawei X1 100 ${typed}`)).toBe(
        `due date is not a real date: ${typed} — usage: /order new <customer> <model> <qty> <due>`,
      );
    },
  );
});

describe("enum arguments", () => {
  it("accept the value (any case, full-width too) or its Chinese name", () => {
    expect(ok("/订单 overdue").args.filter).toBe("overdue");
    expect(ok("/order list OVERDUE").args.filter).toBe("overdue");
    expect(ok("/order list ｍｉｎｅ").args.filter).toBe("mine");
    expect(ok("/订单 逾期").args.filter).toBe("overdue");
  });

  it("take the default when left out", () => {
    expect(ok("/订单").args.filter).toBe("open");
    expect(ok("/order list").args.filter).toBe("open");
  });

  it("refuse other words, naming the choices in the user's language", () => {
    expect(reply("/订单 全部")).toBe(
      "范围必须是 未完成、逾期 或 我的 之一: 全部 — 用法: /订单 [未完成|逾期|我的]",
    );
    expect(reply("/order list all")).toBe(
      "filter must be one of open, overdue or mine: all — usage: /order list [open|overdue|mine]",
    );
  });

  it("role names: the Chinese name and the role id give the same role", () => {
    const wang = { id: "ou_wang", name: "Wang Wei" };
    expect(ok("/角色 授予 @Wang Wei 客服", [wang]).args).toEqual({ change: "grant", user: wang, role: "cs" });
    expect(ok("/role revoke @Wang Wei cs", [wang]).args).toEqual({
      change: "revoke",
      user: wang,
      role: "cs",
    });
  });
});

describe("user arguments", () => {
  const wang = { id: "ou_wang", name: "Wang Wei" };

  it("resolve an @mention to the mentioned person", () => {
    expect(ok("/role grant @Wang Wei manager", [wang]).args.user).toEqual(wang);
  });

  it("refuse a plain word, in both languages", () => {
    expect(reply("/角色 授予 王伟 经理")).toBe(
      "用户必须是 @ 提及的人: 王伟 — 用法: /角色 <授予|撤销> <@用户> <管理员|经理|客服|质检|仓库|财务|员工>",
    );
    expect(reply("/role grant wang manager")).toBe(
      "user must be an @mention: wang — usage: /role <grant|revoke> <@user> <admin|manager|cs|qa|warehouse|finance|staff>",
    );
  });

  it("refuse an @word that is not in the mention list", () => {
    expect(reply("/role grant @Ghost manager")).toMatch(/^user must be an @mention: @Ghost — usage/);
  });
});

describe("text and rest arguments", () => {
  it("keep the rest of the line as typed", () => {
    expect(ok("/延期 O-20261126-001 2026-12-08 客户要求，推迟 一周").args).toEqual({
      orderNo: "O-20261126-001",
      newDue: "2026-12-08",
      reason: "客户要求，推迟 一周",
    });
  });

  it("take a quoted customer name as one argument", () => {
    expect(ok('/order new "Acme Inc" X1 100 2026-12-01').args.customer).toBe("Acme Inc");
    expect(ok("/投诉 “华为 深圳” 包装破损").args).toEqual({ customer: "华为 深圳", text: "包装破损" });
  });

  it("check a pattern on the width-normalised text, which becomes the value", () => {
    expect(ok("/完成 Ｏ－２０２６１１２６－００１").args.orderNo).toBe("O-20261126-001");
    expect(ok("/订阅 日报 09：30").args).toEqual({ topic: "digest", time: "09:30" });
    expect(reply("/完成 123")).toBe("订单号格式不对 (例如 O-20261126-001): 123 — 用法: /完成 <订单号>");
    expect(reply("/order done 123")).toBe(
      "order number has the wrong format (e.g. O-20261126-001): 123 — usage: /order done <order-no>",
    );
  });

  it("leave an optional argument undefined when it is not given", () => {
    expect(ok("/subscribe digest").args).toEqual({ topic: "digest", time: undefined });
  });
});

describe("missing and extra arguments", () => {
  it("name the first missing argument, in both languages", () => {
    expect(reply("/下单 华为 X1 100")).toBe("缺少交期 — 用法: /下单 <客户> <型号> <数量> <交期>");
    expect(reply("/order delay O-20261126-001 2026-12-08")).toBe(
      "missing reason — usage: /order delay <order-no> <new-due> <reason…>",
    );
    expect(reply("/投诉 华为")).toBe("缺少内容 — 用法: /投诉 <客户> <内容…>");
  });

  it("count an empty quoted argument as missing", () => {
    expect(reply('/完成 ""')).toBe("缺少订单号 — 用法: /完成 <订单号>");
  });

  it("refuse arguments beyond the last one", () => {
    expect(reply("/完成 O-20261126-001 O-20261126-002")).toBe(
      "多余的参数: O-20261126-002 — 用法: /完成 <订单号>",
    );
    expect(reply("/kpi week month")).toBe("unexpected argument: month — usage: /kpi [today|week|month]");
  });

  it("call a command with no argument at all bare when it has withoutArgs", () => {
    expect(ok("/下单")).toMatchObject({ bare: true, args: {} });
    expect(ok("/order new")).toMatchObject({ bare: true, language: "en" });
    expect(ok("/下单 华为 X1 100 2026-12-01").bare).toBe(false);
  });
});

describe("unknown commands", () => {
  it("suggest the closest names", () => {
    expect(reply("/ordr list")).toBe(
      "unknown command: /ordr — did you mean /order list? Send /help for the list of commands",
    );
    expect(reply("/投述 华为 坏了")).toBe("未知命令: /投述 — 你是不是想用 /投诉? 发送 /帮助 查看全部命令");
    expect(reply("/hepl")).toBe(
      "unknown command: /hepl — did you mean /help? Send /help for the list of commands",
    );
    expect(reply("/ordr")).toBe(
      "unknown command: /ordr — did you mean /order new, /order list, /order done? Send /help for the list of commands",
    );
  });

  it("list the subcommands of a known first word", () => {
    expect(reply("/order")).toBe(
      "unknown command: /order — did you mean /order new, /order list, /order done, /order delay? Send /help for the list of commands",
    );
    expect(reply("/complaint fix C-20261126-001")).toMatch(
      /^unknown command: \/complaint fix — did you mean \/complaint new,/,
    );
  });

  it("answer in Chinese when the text has Chinese, in English otherwise", () => {
    expect(reply("/xyz 华为")).toBe("未知命令: /xyz — 发送 /帮助 查看全部命令");
    expect(reply("/xyz")).toBe("unknown command: /xyz — Send /help for the list of commands");
  });

  it("point at /help for text that is not a command", () => {
    expect(reply("你好")).toBe("命令以 / 开头, 发送 /帮助 查看全部命令");
    expect(reply("hello")).toBe("Commands start with /. Send /help for the list");
  });
});

describe("command names", () => {
  it("ignore case and width", () => {
    expect(ok("/ORDER List").command.id).toBe("order.list");
    expect(ok("／ｋｐｉ").command.id).toBe("kpi");
  });

  it("find a Chinese name glued to its first argument, longest name first", () => {
    expect(ok("/下单华为 X1 100 2026-12-01").args).toMatchObject({ customer: "华为", qty: 100 });
    expect(ok("/投诉列表").command.id).toBe("complaint.list");
    expect(ok("/投诉列表逾期").args).toEqual({ filter: "overdue" });
    expect(ok("/评分C-20261126-001 4").args).toEqual({ complaintNo: "C-20261126-001", score: 4 });
  });

  it("never take a quoted word as part of a name", () => {
    expect(reply('/order "new" x')).toMatch(/^unknown command: \/order — did you mean \/order new,/);
  });
});
