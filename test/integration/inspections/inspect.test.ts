// /inspect end to end below the webhooks: the bot handler, a real database and outbox, recording adapters.
import { beforeEach, describe, expect, it } from "vitest";
import { findActiveArea, listActiveAreas } from "../../../src/domain/inspections/areas.ts";
import { useTestDatabase } from "../../helpers/database.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import {
  type Bot,
  cardOf,
  createBot,
  message,
  OFFICE_OK,
  START,
  stored,
  submission,
  subscribeToAlerts,
  WAREHOUSE_OK,
  WECOM_WEBHOOK,
} from "./support.ts";

const t = useTestDatabase();
let bot: Bot;

beforeEach(async () => {
  bot = createBot(t.database);
});

/** Sends a chat message and returns the reply the bot sent for it. */
async function say(text: string, options: Parameters<typeof message>[1] = {}) {
  const event = message(text, options);
  await (await bot.handler.message(event, 1)).settled;
  const reply = bot.sent.find((sent) => sent.key === `reply:${event.dedupKey}`);
  expect(reply).toBeDefined();
  return reply?.message;
}

const replyText = (reply: Awaited<ReturnType<typeof say>>): string =>
  reply?.type === "text" ? reply.text : `(card) ${JSON.stringify(reply)}`;

describe("seeded areas", () => {
  it("has warehouse, production and office with their checklists in order", async () => {
    const areas = await listActiveAreas(t.database.db);
    expect(
      areas.map((area) => [area.code, area.nameZh, area.cutoff, area.items.map((item) => item.code)]),
    ).toEqual([
      [
        "warehouse",
        "仓库",
        "10:00",
        ["temperature", "humidity", "fire_extinguisher", "exits_clear", "stacking_safe"],
      ],
      [
        "production",
        "生产车间",
        "10:00",
        ["temperature", "humidity", "machine_guards", "fire_extinguisher", "exits_clear", "first_aid_kit"],
      ],
      [
        "office",
        "办公区",
        "10:00",
        ["temperature", "humidity", "fire_extinguisher", "exits_clear", "first_aid_kit"],
      ],
    ]);
    const temperature = areas[0]?.items[0];
    expect(temperature).toMatchObject({ kind: "reading", unit: "°C", min: 18, max: 26 });
  });

  it.each([
    ["warehouse", "warehouse"],
    ["仓库", "warehouse"],
    ["PRODUCTION", "production"],
    ["生产车间", "production"],
    ["办公区", "office"],
    ["Office", "office"],
  ])("finds %j as %s", async (typed, code) => {
    expect((await findActiveArea(t.database.db, typed))?.code).toBe(code);
  });
});

describe("/inspect alone", () => {
  it("lists the active areas with code, name, cut-off and today's state, and a button per area", async () => {
    const card = cardOf(await say("/巡检"));
    expect(card.title).toBe("巡检区域");
    expect(sourceOf(card.markdown).split("\n")).toEqual([
      "• **仓库** (warehouse) — 截止 10:00 — 今日未巡检",
      "• **生产车间** (production) — 截止 10:00 — 今日未巡检",
      "• **办公区** (office) — 截止 10:00 — 今日未巡检",
    ]);
    expect(card.buttons?.map((button) => [button.label, button.action, button.value])).toEqual([
      ["仓库", "inspection.open", { id: "warehouse", lang: "zh" }],
      ["生产车间", "inspection.open", { id: "production", lang: "zh" }],
      ["办公区", "inspection.open", { id: "office", lang: "zh" }],
    ]);
  });

  it("shows today's inspection as done, in the business day (not yesterday's)", async () => {
    // 23:30 on the 25th in Shanghai (15:30 UTC): yesterday for the list shown on the 26th.
    bot.clock.set("2026-11-25T15:30:00.000Z");
    const yesterday = await bot.handler.action(submission(OFFICE_OK, { area: "office" }));
    expect(yesterday.card?.title).toBe("巡检 I-20261125-001 · 办公区");
    bot.clock.set(START);
    await bot.handler.action(submission(WAREHOUSE_OK));
    const card = cardOf(await say("/inspect"));
    expect(sourceOf(card.markdown).split("\n")).toEqual([
      "• **Warehouse** (warehouse) — cut-off 10:00 — ✓ done today (I-20261126-001)",
      "• **Production floor** (production) — cut-off 10:00 — not done today",
      "• **Office** (office) — cut-off 10:00 — not done today",
    ]);
  });
});

describe("/inspect <area>", () => {
  it("shows the warehouse form: a number per reading with unit and range, pass/fail per check", async () => {
    const card = cardOf(await say("/巡检 仓库"));
    expect(card.title).toBe("巡检: 仓库");
    expect(card.form?.action).toBe("inspection.submit");
    expect(card.form?.value).toEqual({ id: "warehouse", lang: "zh" });
    expect(card.form?.inputs.map((input) => [input.name, input.type, input.label, input.required])).toEqual([
      ["temperature", "number", "温度 (°C, 18–26)", true],
      ["humidity", "number", "湿度 (%, 40–70)", true],
      ["fire_extinguisher", "select", "灭火器在位", true],
      ["exits_clear", "select", "安全出口畅通", true],
      ["stacking_safe", "select", "货物堆放稳固", true],
    ]);
    expect(card.form?.inputs[2]?.options).toEqual([
      { value: "pass", label: "合格" },
      { value: "fail", label: "不合格" },
    ]);
    // WeCom and template-less DingTalk show the form as text: the card says how to type it instead.
    expect(sourceOf(card.markdown)).toContain(
      "/巡检 仓库 <温度> <湿度> <灭火器在位> <安全出口畅通> <货物堆放稳固>",
    );
  });

  it.each([
    [
      "production",
      ["temperature", "humidity", "machine_guards", "fire_extinguisher", "exits_clear", "first_aid_kit"],
    ],
    ["office", ["temperature", "humidity", "fire_extinguisher", "exits_clear", "first_aid_kit"]],
  ])("shows one input per %s item, in English when asked in English", async (area, names) => {
    const card = cardOf(await say(`/inspect ${area}`));
    expect(card.form?.inputs.map((input) => input.name)).toEqual(names);
    expect(card.form?.inputs[0]?.label).toBe("Temperature (°C, 18–26)");
    expect(card.form?.inputs.at(-1)?.options?.map((option) => option.label)).toEqual(["Pass", "Fail"]);
    expect(card.form?.value).toEqual({ id: area, lang: "en" });
  });

  it("opens the same form from the list's button", async () => {
    const result = await bot.handler.action({
      ...submission({}, { area: "office" }),
      actionId: "inspection.open",
    });
    expect(result.card?.form?.inputs.map((input) => input.name)).toEqual([
      "temperature",
      "humidity",
      "fire_extinguisher",
      "exits_clear",
      "first_aid_kit",
    ]);
  });

  it("names the areas when the area is unknown", async () => {
    expect(replyText(await say("/巡检 车库"))).toBe(
      "找不到巡检区域: 车库 — 可选: 仓库 (warehouse), 生产车间 (production), 办公区 (office)",
    );
    expect(replyText(await say("/inspect garage"))).toMatch(
      /^no inspection area garage — choose one of: Warehouse/,
    );
  });
});

describe("submitting the form", () => {
  it("stores a clean inspection, updates the card to its summary and alerts nobody", async () => {
    await subscribeToAlerts(t.database, "lark", "oc_alerts");
    const result = await bot.handler.action(submission(WAREHOUSE_OK, { eventId: "clean" }));

    expect(result.toast).toEqual({ kind: "success", text: "巡检 I-20261126-001 已提交" });
    const card = result.card;
    expect(card?.title).toBe("巡检 I-20261126-001 · 仓库");
    expect(card?.tone).toBe("success");
    expect(card?.form).toBeUndefined();
    expect(sourceOf(card?.markdown).split("\n")).toEqual([
      "✓ 温度: 22 °C (18–26 °C)",
      "✓ 湿度: 55 % (40–70 %)",
      "✓ 灭火器在位: 合格",
      "✓ 安全出口畅通: 合格",
      "✓ 货物堆放稳固: 合格",
    ]);
    expect(card?.fields).toContainEqual({ label: "发现问题", value: "无" });
    expect(card?.note).toBe("由 王伟 于 2026-11-26 09:30 提交");

    const rows = await stored(t.database);
    expect(rows.inspections).toMatchObject([
      { number: "I-20261126-001", findingCount: 0, platform: "lark", chatId: "oc_floor" },
    ]);
    expect(rows.results.map((row) => [row.value, row.passed])).toEqual([
      ["22", true],
      ["55", true],
      ["pass", true],
      ["pass", true],
      ["pass", true],
    ]);
    expect(rows.findings).toEqual([]);
    expect(rows.outbox).toEqual([]);
    expect(bot.sent).toEqual([]);
    expect(rows.audit).toMatchObject([
      {
        entityId: "I-20261126-001",
        action: "inspection.submitted",
        platform: "lark",
        platformMessageId: "lark:card:clean",
        after: { area: "warehouse", findingCount: 0, results: { temperature: "22", stacking_safe: "pass" } },
      },
    ]);
    expect(rows.audit[0]?.actorPersonId).toBe(rows.inspections[0]?.submittedBy);
  });

  it("records findings and alerts every subscribed group and the submitter's chat once, even when run twice", async () => {
    await subscribeToAlerts(t.database, "lark", "oc_alerts");
    await subscribeToAlerts(t.database, "dingtalk", "cid_alerts");
    await subscribeToAlerts(t.database, "wecom", "wr_alerts", WECOM_WEBHOOK);
    const event = submission(
      { ...WAREHOUSE_OK, temperature: "30", fire_extinguisher: "fail" },
      { eventId: "hot", lang: "en" },
    );

    const first = await bot.handler.action(event);
    const second = await bot.handler.action(event);

    expect(first.toast).toEqual({ kind: "warning", text: "2 finding(s) recorded and alerted" });
    expect(second.card).toEqual(first.card);
    expect(first.card?.tone).toBe("danger");
    expect(sourceOf(first.card?.markdown).split("\n")).toEqual([
      "**✗ Temperature: 30 °C (18–26 °C)**",
      "✓ Humidity: 55 % (40–70 %)",
      "**✗ Fire extinguisher present: fail**",
      "✓ Exits clear: pass",
      "✓ Goods stacked safely: pass",
    ]);

    const rows = await stored(t.database);
    expect(rows.inspections).toHaveLength(1);
    expect(rows.inspections[0]?.findingCount).toBe(2);
    expect(
      rows.findings.map((row) => [row.itemCode, row.value, row.rangeMin, row.rangeMax, row.unit, row.safety]),
    ).toEqual([
      ["temperature", "30", 18, 26, "°C", false],
      ["fire_extinguisher", "fail", null, null, null, true],
    ]);
    expect(rows.audit).toHaveLength(1);
    expect(rows.findingAudit.map((row) => [row.action, (row.after as { item: string }).item])).toEqual([
      ["finding.recorded", "temperature"],
      ["finding.recorded", "fire_extinguisher"],
    ]);

    const number = "I-20261126-001";
    expect(bot.sent.map((sent) => [sent.key, sent.target])).toEqual(
      expect.arrayContaining([
        [
          `finding:${number}:lark:oc_alerts`,
          { kind: "chat", platform: "lark", chatId: "oc_alerts", chatKind: "group" },
        ],
        [
          `finding:${number}:dingtalk:cid_alerts`,
          { kind: "chat", platform: "dingtalk", chatId: "cid_alerts", chatKind: "group" },
        ],
        [`finding:${number}:wecom:wr_alerts`, { kind: "webhook", platform: "wecom", url: WECOM_WEBHOOK }],
        [
          `finding:${number}:lark:oc_floor`,
          { kind: "chat", platform: "lark", chatId: "oc_floor", chatKind: "group" },
        ],
      ]),
    );
    expect(bot.sent).toHaveLength(4);
    expect(rows.outbox.map((row) => row.status)).toEqual(["sent", "sent", "sent", "sent"]);
    const alert = cardOf(bot.sent[0]?.message);
    expect(alert.title).toBe(`Inspection findings: Warehouse ${number}`);
    expect(sourceOf(alert.markdown).split("\n")).toEqual([
      "**✗ Temperature 30 °C, outside 18–26 °C**",
      "**✗ Fire extinguisher present: failed (safety)**",
    ]);
  });

  it("stores one inspection when the same event runs twice at the same moment", async () => {
    await subscribeToAlerts(t.database, "dingtalk", "cid_alerts");
    const event = submission({ ...WAREHOUSE_OK, humidity: "80" }, { eventId: "twice" });
    const [first, second] = await Promise.all([bot.handler.action(event), bot.handler.action(event)]);
    expect(second.card?.title).toBe(first.card?.title);
    expect((await stored(t.database)).inspections).toHaveLength(1);
    expect(bot.sent.map((sent) => sent.key).sort()).toEqual([
      "finding:I-20261126-001:dingtalk:cid_alerts",
      "finding:I-20261126-001:lark:oc_floor",
    ]);
  });

  it("numbers separate submissions of the same day apart", async () => {
    const results = await Promise.all(
      [OFFICE_OK, WAREHOUSE_OK, OFFICE_OK].map((form) =>
        bot.handler.action(submission(form, { area: form === OFFICE_OK ? "office" : "warehouse" })),
      ),
    );
    const numbers = (await stored(t.database)).inspections.map((row) => row.number).sort();
    expect(numbers).toEqual(["I-20261126-001", "I-20261126-002", "I-20261126-003"]);
    expect(results.every((result) => result.card?.tone === "success")).toBe(true);
  });

  it("sends one alert to a submitter's chat that is itself subscribed", async () => {
    await subscribeToAlerts(t.database, "lark", "oc_floor");
    await bot.handler.action(submission({ ...WAREHOUSE_OK, exits_clear: "fail" }));
    expect(bot.sent.map((sent) => sent.key)).toEqual(["finding:I-20261126-001:lark:oc_floor"]);
  });

  it("stores nothing and says what is wrong for missing, non-numeric and unknown values", async () => {
    await subscribeToAlerts(t.database, "lark", "oc_alerts");
    const result = await bot.handler.action(
      submission({ temperature: "warm", humidity: "", fire_extinguisher: "maybe", exits_clear: "pass" }),
    );
    expect(result.card).toBeUndefined();
    expect(result.toast).toEqual({
      kind: "warning",
      text: "温度必须是数字: warm; 请填写湿度; 灭火器在位只能是 合格 或 不合格: maybe; 请填写货物堆放稳固",
    });
    const rows = await stored(t.database);
    expect([rows.inspections, rows.results, rows.findings, rows.outbox, rows.audit]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);

    // The refusal used no number: the next good submission is still the day's first.
    const next = await bot.handler.action(submission(WAREHOUSE_OK));
    expect(next.card?.title).toBe("巡检 I-20261126-001 · 仓库");
  });

  it("answers a submission for an unknown area without storing anything", async () => {
    const result = await bot.handler.action(submission(WAREHOUSE_OK, { area: "garage", lang: "en" }));
    expect(result.toast?.text).toMatch(/^no inspection area garage/);
    expect((await stored(t.database)).inspections).toEqual([]);
  });
});

describe("typed submissions (WeCom and template-less DingTalk)", () => {
  it("takes readings and checks in checklist order and answers with the summary and the alerts", async () => {
    await subscribeToAlerts(t.database, "lark", "oc_alerts");
    const reply = cardOf(
      await say("/巡检 仓库 22 55 合格 合格 不合格", {
        platform: "wecom",
        chatId: "wang.wei",
        chatKind: "direct",
      }),
    );
    expect(reply.title).toBe("巡检 I-20261126-001 · 仓库");
    expect(sourceOf(reply.markdown).split("\n").at(-1)).toBe("**✗ 货物堆放稳固: 不合格**");

    const rows = await stored(t.database);
    expect(rows.inspections).toMatchObject([{ findingCount: 1, platform: "wecom", chatId: "wang.wei" }]);
    expect(rows.audit[0]?.platformMessageId).toMatch(/^m\d+$/);
    expect(bot.sent.map((sent) => sent.key).sort()).toEqual([
      "finding:I-20261126-001:lark:oc_alerts",
      "finding:I-20261126-001:wecom:wang.wei",
      expect.stringMatching(/^reply:wecom:msg:m\d+$/),
    ]);
  });

  it("stores the same typed message once when it is handled twice", async () => {
    const event = message("/inspect office 20 45 ok ok ok");
    await (await bot.handler.message(event, 1)).settled;
    await (await bot.handler.message(event, 2)).settled;
    expect((await stored(t.database)).inspections).toHaveLength(1);
  });

  it("skips a WeCom group without a robot webhook, which cannot be pushed to", async () => {
    await say("/巡检 仓库 30 55 合格 合格 合格", { platform: "wecom", chatId: "wr_floor" });
    expect(bot.sent.map((sent) => sent.key)).toEqual([expect.stringMatching(/^reply:/)]);
    expect((await stored(t.database)).inspections[0]?.findingCount).toBe(1);
  });

  it.each([
    ["/巡检 仓库 22 55 合格", /^仓库需要 5 项读数和检查, 收到 3 项 — 用法: \/巡检 仓库 <温度> <湿度>/],
    [
      "/inspect warehouse 22 55 ok ok ok ok",
      /^Warehouse needs 5 readings and checks, got 6 — usage: \/inspect warehouse <temperature> <humidity>/,
    ],
    [
      "/巡检 仓库 热 55 合格 合格 也许",
      /^温度必须是数字: 热; 货物堆放稳固只能是 合格 或 不合格: 也许 — 用法: \/巡检 仓库/,
    ],
  ])("refuses %j and stores nothing", async (text, expected) => {
    expect(replyText(await say(text))).toMatch(expected);
    expect((await stored(t.database)).inspections).toEqual([]);
  });
});
