// The checklist rules without a database: parsing readings and checks, ranges, typed order, finding texts.
import { describe, expect, it } from "vitest";
import { findingText, rangeText } from "../../../commands/inspections/item-text.ts";
import {
  type ChecklistItem,
  evaluateChecklist,
  findingFacts,
  parseCheck,
  parseReading,
  splitTypedValues,
  valuesInChecklistOrder,
} from "../../../src/domain/inspections/checklist.ts";

const temperature: ChecklistItem = {
  id: 1,
  code: "temperature",
  labelZh: "温度",
  labelEn: "Temperature",
  kind: "reading",
  unit: "°C",
  min: 18,
  max: 26,
  safety: false,
};
const extinguisher: ChecklistItem = {
  id: 2,
  code: "fire_extinguisher",
  labelZh: "灭火器在位",
  labelEn: "Fire extinguisher present",
  kind: "check",
  unit: null,
  min: null,
  max: null,
  safety: true,
};
const items = [temperature, extinguisher];

describe("readings", () => {
  it.each([
    ["22", 22],
    ["22.5", 22.5],
    ["２２", 22],
    ["22℃", 22],
    ["22 °C", 22],
    ["-3", -3],
  ])("reads %j as %d", (typed, expected) => {
    expect(parseReading(temperature, typed)).toBe(expected);
  });

  it.each(["abc", "22%", "2 2", "", "1e3", "22.5.1"])("refuses %j", (typed) => {
    expect(parseReading(temperature, typed)).toBeUndefined();
  });

  it("keeps both limits inside the range and everything beyond them out", () => {
    const passed = (typed: string) => {
      const evaluation = evaluateChecklist(items, { temperature: typed, fire_extinguisher: "pass" });
      if (!evaluation.ok) throw new Error("unexpected problems");
      return evaluation.results[0]?.passed;
    };
    expect([passed("18"), passed("26"), passed("17.9"), passed("26.1")]).toEqual([true, true, false, false]);
  });
});

describe("checks", () => {
  it.each([
    ["pass", "pass"],
    ["OK", "pass"],
    ["合格", "pass"],
    ["是", "pass"],
    ["fail", "fail"],
    ["不合格", "fail"],
    ["否", "fail"],
    ["ＦＡＩＬ", "fail"],
  ])("reads %j as %s", (typed, expected) => {
    expect(parseCheck(typed)).toBe(expected);
  });

  it("refuses anything else", () => {
    expect(parseCheck("maybe")).toBeUndefined();
  });
});

describe("evaluateChecklist", () => {
  it("lists every problem at once: missing, not a number, not a choice", () => {
    expect(evaluateChecklist(items, {})).toEqual({
      ok: false,
      problems: [
        { kind: "missing", item: temperature },
        { kind: "missing", item: extinguisher },
      ],
    });
    expect(evaluateChecklist(items, { temperature: "warm", fire_extinguisher: "maybe" })).toEqual({
      ok: false,
      problems: [
        { kind: "not_number", item: temperature, typed: "warm" },
        { kind: "not_choice", item: extinguisher, typed: "maybe" },
      ],
    });
  });

  it("marks an out-of-range reading and a failed check as findings: facts for the record, words for the reader", () => {
    const evaluation = evaluateChecklist(items, { temperature: "30", fire_extinguisher: "不合格" });
    expect(evaluation).toEqual({
      ok: true,
      results: [
        { item: temperature, value: "30", passed: false },
        { item: extinguisher, value: "fail", passed: false },
      ],
    });
    if (!evaluation.ok) return;
    expect(evaluation.results.map(findingFacts)).toEqual([
      { itemCode: "temperature", value: "30", rangeMin: 18, rangeMax: 26, unit: "°C" },
      { itemCode: "fire_extinguisher", value: "fail", rangeMin: null, rangeMax: null, unit: null },
    ]);
    expect(evaluation.results.map((result) => findingText(result, "zh"))).toEqual([
      "温度 30 °C, 超出范围 18–26 °C",
      "灭火器在位: 不合格",
    ]);
    expect(evaluation.results.map((result) => findingText(result, "en"))).toEqual([
      "Temperature 30 °C, outside 18–26 °C",
      "Fire extinguisher present: failed",
    ]);
  });
});

describe("typed submissions", () => {
  it("splits on spaces and (full-width) commas and maps the values in checklist order", () => {
    expect(splitTypedValues(" 22，ok ")).toEqual(["22", "ok"]);
    expect(valuesInChecklistOrder(items, ["22", "ok"])).toEqual({
      temperature: "22",
      fire_extinguisher: "ok",
    });
    expect(valuesInChecklistOrder(items, ["22"])).toBeNull();
    expect(valuesInChecklistOrder(items, ["22", "ok", "extra"])).toBeNull();
  });

  it("describes ranges with and without limits", () => {
    expect(rangeText(temperature)).toBe("18–26 °C");
    expect(rangeText({ ...temperature, max: null, unit: "%" })).toBe("≥ 18 %");
    expect(rangeText({ ...temperature, min: null, unit: null })).toBe("≤ 26");
    expect(rangeText(extinguisher)).toBe("");
  });
});
