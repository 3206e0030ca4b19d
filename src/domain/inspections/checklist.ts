// An area's checklist and the rules for one submission: parse each reading and check, decide pass or finding.
export type ItemKind = "reading" | "check";

/** An inspection area is walked through (/inspect); a system area is a core system of the morning /check. */
export const AREA_KINDS = ["inspection", "system"] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

export interface ChecklistItem {
  id: number;
  /** Form input name, e.g. "temperature". */
  code: string;
  labelZh: string;
  labelEn: string;
  kind: ItemKind;
  unit: string | null;
  min: number | null;
  max: number | null;
  safety: boolean;
}

export interface InspectionArea {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  /** HH:MM in the business timezone. */
  cutoff: string;
  kind: AreaKind;
  /** The version of its checklist `items` are; a record keeps the version it was made against. */
  version: number;
  items: ChecklistItem[];
}

export type CheckValue = "pass" | "fail";

export interface ItemResult {
  item: ChecklistItem;
  /** The reading as a plain decimal ("22.5"), or "pass" / "fail". */
  value: string;
  /** False = a finding: a reading outside [min, max] or a failed check. */
  passed: boolean;
}

export type Problem =
  | { kind: "missing"; item: ChecklistItem }
  | { kind: "not_number"; item: ChecklistItem; typed: string }
  | { kind: "not_choice"; item: ChecklistItem; typed: string };

export type Evaluation = { ok: true; results: ItemResult[] } | { ok: false; problems: Problem[] };

/** Words accepted for a check, after NFKC and lower-casing: the form's values, and what people type. */
const CHECK_WORDS: Record<string, CheckValue> = {
  pass: "pass",
  ok: "pass",
  yes: "pass",
  y: "pass",
  合格: "pass",
  是: "pass",
  通过: "pass",
  正常: "pass",
  "✓": "pass",
  "√": "pass",
  fail: "fail",
  no: "fail",
  n: "fail",
  不合格: "fail",
  否: "fail",
  不通过: "fail",
  异常: "fail",
  "✗": "fail",
  "×": "fail",
  x: "fail",
};

const normalise = (typed: string): string => typed.normalize("NFKC").trim();

/** A typed check, or undefined when it is neither a pass nor a fail word. */
export function parseCheck(typed: string): CheckValue | undefined {
  return CHECK_WORDS[normalise(typed).toLowerCase()];
}

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/** A typed reading as a number; the item's unit may follow it ("22°C", "22℃", "55%"). */
export function parseReading(item: ChecklistItem, typed: string): number | undefined {
  let text = normalise(typed);
  const unit = item.unit ? normalise(item.unit) : "";
  if (unit && text.endsWith(unit)) text = text.slice(0, -unit.length).trim();
  return DECIMAL.test(text) ? Number(text) : undefined;
}

const inRange = (item: ChecklistItem, reading: number): boolean =>
  (item.min === null || reading >= item.min) && (item.max === null || reading <= item.max);

function evaluateItem(item: ChecklistItem, typed: string | undefined): ItemResult | Problem {
  if (typed === undefined || normalise(typed) === "") return { kind: "missing", item };
  if (item.kind === "check") {
    const value = parseCheck(typed);
    return value ? { item, value, passed: value === "pass" } : { kind: "not_choice", item, typed };
  }
  const reading = parseReading(item, typed);
  if (reading === undefined || !Number.isFinite(reading)) return { kind: "not_number", item, typed };
  return { item, value: String(reading), passed: inRange(item, reading) };
}

/** Every item of the checklist against the submitted values (by item code); all problems at once. */
export function evaluateChecklist(
  items: readonly ChecklistItem[],
  values: Readonly<Record<string, string | undefined>>,
): Evaluation {
  const outcomes = items.map((item) => evaluateItem(item, values[item.code]));
  const problems = outcomes.filter((outcome): outcome is Problem => "kind" in outcome);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, results: outcomes as ItemResult[] };
}

/** The values typed after the area, split on spaces and commas (also the full-width ones). */
export const splitTypedValues = (text: string): string[] =>
  text
    .split(/[\s,，、;；]+/u)
    .map((part) => part.trim())
    .filter(Boolean);

/** Typed values in checklist order as values by item code, or null when the count is wrong. */
export function valuesInChecklistOrder(
  items: readonly ChecklistItem[],
  typed: readonly string[],
): Record<string, string> | null {
  if (typed.length !== items.length) return null;
  return Object.fromEntries(items.map((item, index) => [item.code, typed[index] as string]));
}

/** What a finding records: the item and range it was held against and the value entered, never words. */
export interface FindingFacts {
  itemCode: string;
  /** The reading as a plain decimal, or "fail". */
  value: string;
  rangeMin: number | null;
  rangeMax: number | null;
  unit: string | null;
}

export const findingFacts = ({ item, value }: ItemResult): FindingFacts => ({
  itemCode: item.code,
  value,
  rangeMin: item.min,
  rangeMax: item.max,
  unit: item.unit,
});
