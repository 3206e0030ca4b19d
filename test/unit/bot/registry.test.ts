import { describe, expect, it } from "vitest";
import { arg, createRegistry, defineAction, defineCommand, parseCommand } from "../../../src/bot/index.ts";
import { commands, registry } from "./fixture-registry.ts";

/** The command table of DESIGN §1: every name, English and Chinese, and the command it runs. */
const DESIGN_NAMES: [string, string][] = [
  ["help", "help"],
  ["帮助", "help"],
  ["order new", "order.new"],
  ["下单", "order.new"],
  ["order list", "order.list"],
  ["订单", "order.list"],
  ["order done", "order.done"],
  ["完成", "order.done"],
  ["order delay", "order.delay"],
  ["延期", "order.delay"],
  ["complaint new", "complaint.new"],
  ["投诉", "complaint.new"],
  ["complaint list", "complaint.list"],
  ["投诉列表", "complaint.list"],
  ["complaint respond", "complaint.respond"],
  ["回复", "complaint.respond"],
  ["complaint resolve", "complaint.resolve"],
  ["解决", "complaint.resolve"],
  ["complaint rate", "complaint.rate"],
  ["评分", "complaint.rate"],
  ["inspect", "inspect"],
  ["巡检", "inspect"],
  ["kpi", "kpi"],
  ["指标", "kpi"],
  ["日报", "kpi"],
  ["subscribe", "subscribe"],
  ["订阅", "subscribe"],
  ["unsubscribe", "unsubscribe"],
  ["退订", "unsubscribe"],
  ["role", "role"],
  ["角色", "role"],
];

const wang = { id: "ou_wang", name: "Wang Wei" };

describe("name resolution", () => {
  it.each(DESIGN_NAMES)("/%s runs %s, with its example arguments", (name, id) => {
    const command = registry.command(id);
    if (!command) throw new Error(`no command ${id}`);
    const language = /\p{Script=Han}/u.test(name) ? "zh" : "en";
    const example = typeof command.example === "string" ? command.example : command.example[language];
    expect(parseCommand(`/${name} ${example}`, [wang], registry)).toMatchObject({
      ok: true,
      command: { id },
      name,
      language,
    });
  });

  it("the fixture registers exactly the DESIGN names", () => {
    const registered = commands.flatMap((command) => [...command.names.en, ...command.names.zh]);
    expect(registered.sort()).toEqual(DESIGN_NAMES.map(([name]) => name).sort());
  });

  it("matches the longest name: /complaint list is not /complaint with an argument", () => {
    expect(registry.match(["complaint", "list", "open"])).toMatchObject({
      command: { id: "complaint.list" },
      words: 2,
    });
    expect(registry.match(["投诉列表"])).toMatchObject({ command: { id: "complaint.list" }, words: 1 });
    expect(registry.match(["投诉", "列表"])).toMatchObject({ command: { id: "complaint.new" }, words: 1 });
  });

  it("finds nothing for a first word alone that only starts names", () => {
    expect(registry.match(["order"])).toBeUndefined();
    expect(registry.match(["complaint", "fix"])).toBeUndefined();
  });
});

describe("createRegistry", () => {
  const spec = {
    description: { zh: "试", en: "try" },
    example: "",
    handler: () => ({ type: "text", text: "" }) as const,
  };

  it("refuses a name used twice, across commands and languages", () => {
    const a = defineCommand({ ...spec, id: "a", names: { en: ["stock check"], zh: ["盘点"] } });
    const b = defineCommand({ ...spec, id: "b", names: { en: ["Stock  Check"], zh: ["库存"] } });
    expect(() => createRegistry({ commands: [a, b] })).toThrow(/stock check.*used by a and b/i);
  });

  it("refuses duplicate command and action ids", () => {
    const a = defineCommand({ ...spec, id: "a", names: { en: ["a"], zh: ["甲"] } });
    const a2 = defineCommand({ ...spec, id: "a", names: { en: ["b"], zh: ["乙"] } });
    expect(() => createRegistry({ commands: [a, a2] })).toThrow("duplicate command id a");
    const action = defineAction({ id: "x.go", handler: () => ({}) });
    expect(() => createRegistry({ commands: [], actions: [action, action] })).toThrow(
      "duplicate action id x.go",
    );
  });

  it("looks actions up by id", () => {
    expect(registry.action("order.confirm")?.roles).toEqual(["cs", "manager"]);
    expect(registry.action("order.nope")).toBeUndefined();
  });
});

describe("defineCommand", () => {
  const base = {
    id: "t",
    names: { en: ["t"], zh: ["试"] },
    description: { zh: "试", en: "try" },
    example: "",
    handler: () => ({ type: "text", text: "" }) as const,
  };
  const label = { zh: "值", en: "value" };

  it("refuses a rest argument followed by an optional or another rest argument", () => {
    expect(() =>
      defineCommand({
        ...base,
        args: { all: arg.rest({ label }), more: arg.text({ label, optional: true }) },
      }),
    ).toThrow('"all" (rest) must be last or followed only by required single words');
    expect(() =>
      defineCommand({ ...base, args: { all: arg.rest({ label }), more: arg.rest({ label }) } }),
    ).toThrow('"all" (rest) must be last or followed only by required single words');
  });

  it("refuses a required argument after an optional one", () => {
    expect(() =>
      defineCommand({ ...base, args: { a: arg.text({ label, optional: true }), b: arg.integer({ label }) } }),
    ).toThrow('required argument "b" follows an optional one');
  });

  it("needs an English and a Chinese name", () => {
    expect(() => defineCommand({ ...base, names: { en: ["t"], zh: [] } })).toThrow(
      /one English and one Chinese name/,
    );
    expect(() => defineCommand({ ...base, names: { en: [" "], zh: ["试"] } })).toThrow(
      /one English and one Chinese name/,
    );
  });

  it("gives handlers exactly typed arguments (checked by tsc)", () => {
    const command = defineCommand({
      ...base,
      args: {
        qty: arg.integer({ label, max: 9 }),
        status: arg.enum({ label, choices: { open: "未完成", mine: "我的" }, default: "open" }),
        note: arg.text({ label, optional: true }),
      },
      handler: ({ args, reply }) => {
        const qty: number = args.qty;
        const status: "open" | "mine" = args.status;
        // @ts-expect-error an optional argument without default may be undefined
        const note: string = args.note;
        return reply.text(`${qty} ${status} ${note}`, "");
      },
    });
    // @ts-expect-error the default must be one of the choices
    arg.enum({ label, choices: { open: "未完成" }, default: "closed" });
    expect(Object.keys(command.args)).toEqual(["qty", "status", "note"]);
  });
});
