// /checklist end to end through the signed webhooks of Lark, DingTalk, the WeCom app and the WeCom robot: areas,
// items and cut-offs edited by managers, audited and versioned, while inspections made before keep theirs.
import { asc, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, findings, inspectionAreas, inspections } from "../../src/db/schema/index.ts";
import { loadInspection } from "../../src/domain/inspections/records.ts";
import { restoreSeededChecklists } from "../helpers/database.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage, sendWeComBotMessage } from "../helpers/e2e-harness.ts";

// Wednesday 2026-11-25 10:30 in Shanghai, a working day.
const START = new Date("2026-11-25T02:30:00Z");

const area = useAreaTest({
  prefix: "checklists",
  start: START,
  larkChat: "oc_floor",
  larkSender: "ou_manager",
  channels: ["lark", "dingtalk", "wecom", "wecomBot"],
  seed: restoreSeededChecklists,
});

const warehouse = async () => {
  const [row] = await area.database.db
    .select()
    .from(inspectionAreas)
    .where(eq(inspectionAreas.code, "warehouse"));
  return row;
};

const checklistAudit = async () =>
  (
    await area.database.db
      .select()
      .from(auditLog)
      .where(like(auditLog.action, "checklist.%"))
      .orderBy(asc(auditLog.id))
  ).map((row) => [row.action, row.entityId, row.platform]);

describe("/checklist on Lark", () => {
  it("retires an item and changes a range while inspections exist: old records unchanged, new ones on the new version", async () => {
    await area.withRole("lark", "ou_manager", "manager");
    await area.withRole("lark", "ou_staff", "staff");
    // Version 1: 27 °C is outside 18–26, a finding.
    await area.postLark("/inspect warehouse 27 55 ok ok ok", { sender: "ou_staff" });
    expect(area.lastLark()).toContain("Temperature");

    // Staff may read but not edit.
    await area.postLark("/checklist warehouse", { sender: "ou_staff" });
    expect(area.lastLark()).toContain("version 1");
    await area.postLark("/checklist item retire warehouse stacking_safe", { sender: "ou_staff" });
    expect((await warehouse())?.version).toBe(1);

    await area.postLark("/checklist item retire warehouse stacking_safe");
    expect(area.lastLark()).toContain("Checklist: Warehouse (version 2)");
    expect(area.lastLark()).not.toContain("Goods stacked safely");
    await area.postLark("/checklist item change warehouse temperature range 16 28 °C");
    expect(area.lastLark()).toContain("Checklist: Warehouse (version 3)");
    expect(area.lastLark()).toContain("16–28 °C");

    // Version 3 has four items; 27 °C is in range now.
    await area.postLark("/inspect warehouse 27 55 ok ok", { sender: "ou_staff" });
    const numbers = await area.database.db
      .select({ number: inspections.number, version: inspections.checklistVersion })
      .from(inspections)
      .orderBy(asc(inspections.id));
    expect(numbers.map((row) => row.version)).toEqual([1, 3]);
    const [first, second] = await Promise.all(
      numbers.map((row) => loadInspection(area.database.db, row.number)),
    );
    // The first still reads its five items, the old range and its finding as recorded.
    expect(first?.results.map((result) => result.item.code)).toEqual([
      "temperature",
      "humidity",
      "fire_extinguisher",
      "exits_clear",
      "stacking_safe",
    ]);
    expect(first?.results[0]).toMatchObject({ value: "27", passed: false, item: { min: 18, max: 26 } });
    expect(first?.findingCount).toBe(1);
    expect(second?.results.map((result) => result.item.code)).toEqual([
      "temperature",
      "humidity",
      "fire_extinguisher",
      "exits_clear",
    ]);
    expect(second?.results[0]).toMatchObject({ value: "27", passed: true, item: { min: 16, max: 28 } });
    const recorded = await area.database.db.select().from(findings);
    expect(recorded.map((row) => [row.itemCode, row.value, row.rangeMin, row.rangeMax, row.unit])).toEqual([
      ["temperature", "27", 18, 26, "°C"],
    ]);
    expect(await checklistAudit()).toEqual([
      ["checklist.item_retired", "warehouse", "lark"],
      ["checklist.item_changed", "warehouse", "lark"],
    ]);
  });

  it("refuses bad input with the mistake and the usage, and changes nothing", async () => {
    await area.withRole("lark", "ou_manager", "manager");
    await area.postLark("/checklist item add warehouse Bad-Key check Label");
    expect(area.lastLark()).toContain("an item key is lower-case letters");
    expect(area.lastLark()).toContain("usage: /checklist item add");
    await area.postLark("/checklist item change warehouse temperature range 30 20 °C");
    expect(area.lastLark()).toContain("min is above max: 30 > 20");
    await area.postLark("/checklist item change warehouse temperature gauge 1 2");
    expect(area.lastLark()).toContain("an item is a range or a check");
    await area.postLark("/checklist item retire nowhere temperature");
    expect(area.lastLark()).toContain("no area nowhere");
    await area.postLark("/checklist item add warehouse humidity check Humidity");
    expect(area.lastLark()).toContain("has an item humidity already");
    expect((await warehouse())?.version).toBe(1);
    expect(await checklistAudit()).toEqual([]);
  });
});

describe("/清单 on DingTalk", () => {
  it("adds an area and its first reading; an inspection of it records version 2", async () => {
    await area.withRole("dingtalk", "manager4511", "manager");
    const send = (text: string, name: string) =>
      sendDingTalkMessage(area.h, area.fakes, text, area.messageId(name), { senderStaffId: "manager4511" });
    expect(await send("/清单 区域 新增 cold 09:00 冷库/Cold store", "area")).toBe(200);
    expect(await send("/清单 项目 新增 cold temp 读数 -25 -18 °C 温度/Temperature", "item")).toBe(200);
    expect(JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body)).toContain("清单为第 2 版");
    expect(await send("/巡检 冷库 -20", "inspect")).toBe(200);
    const [cold] = await area.database.db
      .select()
      .from(inspectionAreas)
      .where(eq(inspectionAreas.code, "cold"));
    expect(cold).toMatchObject({ nameZh: "冷库", nameEn: "Cold store", cutoff: "09:00", kind: "inspection" });
    const [stored] = await area.database.db.select().from(inspections);
    expect(stored?.checklistVersion).toBe(2);
    expect(await checklistAudit()).toEqual([
      ["checklist.area_added", "cold", "dingtalk"],
      ["checklist.item_added", "cold", "dingtalk"],
    ]);
  });
});

describe("/checklist on WeCom", () => {
  it("app: moves a cut-off; a time that is not one is refused with the usage", async () => {
    await area.withRole("wecom", "zhangsan", "manager");
    expect(
      await sendWeComAppMessage(area.h, "/checklist cutoff warehouse 25:00", area.messageId("bad")),
    ).toBe(200);
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain(
      "usage: /checklist cutoff <area> <HH:MM>",
    );
    expect(await sendWeComAppMessage(area.h, "/checklist cutoff warehouse 9:30", area.messageId("ok"))).toBe(
      200,
    );
    expect((await warehouse())?.cutoff).toBe("09:30");
    expect(await checklistAudit()).toEqual([["checklist.cutoff_changed", "warehouse", "wecom"]]);
  });

  it("robot: adds a system area with its two checks, and retires an area", async () => {
    await area.withRole("wecom", "zhangsan", "admin");
    expect(
      await sendWeComBotMessage(
        area.h,
        area.fakes,
        "/清单 区域 新增 erp 系统 ERP系统/ERP",
        area.messageId("a"),
      ),
    ).toBe(200);
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain("可访问");
    expect(await sendWeComBotMessage(area.h, area.fakes, "/清单 区域 停用 办公区", area.messageId("r"))).toBe(
      200,
    );
    const areas = await area.database.db.select().from(inspectionAreas).orderBy(asc(inspectionAreas.id));
    expect(areas.map((row) => [row.code, row.kind, row.cutoff, row.active])).toEqual([
      ["warehouse", "inspection", "10:00", true],
      ["production", "inspection", "10:00", true],
      ["office", "inspection", "10:00", false],
      ["erp", "system", "09:30", true],
    ]);
    expect(await checklistAudit()).toEqual([
      ["checklist.area_added", "erp", "wecom"],
      ["checklist.area_retired", "office", "wecom"],
    ]);
  });
});
