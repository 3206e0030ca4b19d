// The typed grammar of /checklist's items and areas: "range <min> <max> <unit> <label…>", "check <label…>",
// "[HH:MM] [system] [name…]", and labels "中文/English". Each mistake named with the usage it breaks.
import { UserError } from "../../src/bot/index.ts";
import type { Bilingual } from "../../src/chat/language.ts";
import type { AreaKind } from "../../src/domain/inspections/checklist.ts";
import type { ItemSpec } from "../../src/domain/inspections/checklist-edits.ts";

export const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

const RANGE_WORDS = new Set(["range", "reading", "读数", "范围"]);
const CHECK_WORDS = new Set(["check", "检查"]);
const SYSTEM_WORDS = new Set(["system", "系统"]);
const SAFETY_WORDS = new Set(["safety", "安全"]);

export const ITEM_USAGE: Bilingual = {
  zh: "<区域> <项目键> 读数 <最小> <最大> <单位> <名称…> 或 <区域> <项目键> 检查 <名称…> (名称可写 中文/English, 加 安全 为安全项)",
  en: "<area> <key> range <min> <max> <unit> <label…> or <area> <key> check <label…> (label as 中文/English; add safety for a safety item)",
};

export const words = (text: string): string[] => text.normalize("NFKC").trim().split(/\s+/u).filter(Boolean);

const refuse = (zh: string, en: string, usage: Bilingual): UserError =>
  new UserError(`${zh} — 用法: ${usage.zh}`, `${en} — usage: ${usage.en}`);

/** "温度/Temperature" → both names; one name serves both languages. */
export function bilingualName(typed: string): { zh: string; en: string } {
  const [zh, ...rest] = typed.split("/");
  const en = rest.join("/").trim();
  return { zh: (zh ?? "").trim() || en, en: en || (zh ?? "").trim() };
}

/** An item key as typed: lower case letters, digits and _, starting with a letter. */
export function itemKey(typed: string, usage: Bilingual): string {
  const key = typed.normalize("NFKC").trim().toLowerCase();
  if (!KEY.test(key))
    throw refuse(
      `项目键只能用小写字母、数字和 _ 并以字母开头: ${typed}`,
      `an item key is lower-case letters, digits and _, starting with a letter: ${typed}`,
      usage,
    );
  return key;
}

function number(typed: string | undefined, what: Bilingual, usage: Bilingual): number {
  if (typed === undefined || !DECIMAL.test(typed))
    throw refuse(
      `${what.zh}必须是数字: ${typed ?? ""}`,
      `${what.en} must be a number: ${typed ?? ""}`,
      usage,
    );
  return Number(typed);
}

/**
 * The item typed after its key. Without a label, `current` keeps its labels (a change); an add has none and
 * needs one. A reading's range and unit, when typed, replace the current ones; a check has neither.
 */
export function parseItemSpec(rest: string, current: ItemSpec | undefined, usage: Bilingual): ItemSpec {
  const tokens = words(rest);
  const safety = tokens.some((token) => SAFETY_WORDS.has(token.toLowerCase()));
  const [kindWord, ...after] = tokens.filter((token) => !SAFETY_WORDS.has(token.toLowerCase()));
  const kindToken = kindWord?.toLowerCase() ?? "";
  const labelOf = (parts: string[]) => {
    if (parts.length > 0) {
      const name = bilingualName(parts.join(" "));
      return { labelZh: name.zh, labelEn: name.en };
    }
    if (current) return { labelZh: current.labelZh, labelEn: current.labelEn };
    throw refuse("缺少项目名称", "the item needs a label", usage);
  };
  const keepSafety = safety || (current?.safety ?? false);
  if (RANGE_WORDS.has(kindToken)) {
    const [minText, maxText, unit, ...label] = after;
    const min = number(minText, { zh: "最小值", en: "min" }, usage);
    const max = number(maxText, { zh: "最大值", en: "max" }, usage);
    if (min > max)
      throw refuse(`最小值大于最大值: ${min} > ${max}`, `min is above max: ${min} > ${max}`, usage);
    if (!unit) throw refuse("缺少单位", "the reading needs a unit", usage);
    return { kind: "reading", min, max, unit, safety: keepSafety, ...labelOf(label) };
  }
  if (CHECK_WORDS.has(kindToken))
    return {
      kind: "check",
      min: null,
      max: null,
      unit: null,
      safety: safety || !current || current.safety,
      ...labelOf(after),
    };
  throw refuse(
    `项目类型只能是 读数 或 检查: ${kindWord ?? ""}`,
    `an item is a range or a check: ${kindWord ?? ""}`,
    usage,
  );
}

export const AREA_USAGE: Bilingual = {
  zh: "/清单 区域 新增 <区域键> [HH:MM] [系统] [名称 中文/English]",
  en: "/checklist area add <area-key> [HH:MM] [system] [name 中文/English]",
};

/** What follows the new area's key: its cut-off, its kind and its names, in any order before the name. */
export function parseAreaOptions(rest: string | undefined): {
  cutoff?: string;
  kind: AreaKind;
  name?: string;
} {
  let cutoff: string | undefined;
  let kind: AreaKind = "inspection";
  const name: string[] = [];
  for (const token of words(rest ?? "")) {
    if (name.length === 0 && /^\d{1,2}:\d{2}$/.test(token)) {
      if (!TIME.test(token.padStart(5, "0")))
        throw refuse(`时间不对: ${token}`, `not a time of day: ${token}`, AREA_USAGE);
      cutoff = token.padStart(5, "0");
    } else if (name.length === 0 && SYSTEM_WORDS.has(token.toLowerCase())) kind = "system";
    else name.push(token);
  }
  return { ...(cutoff ? { cutoff } : {}), kind, ...(name.length > 0 ? { name: name.join(" ") } : {}) };
}

/** A cut-off typed "9:30" or "09:30". */
export function parseCutoff(typed: string, usage: Bilingual): string {
  const padded = typed.normalize("NFKC").trim().padStart(5, "0");
  if (!TIME.test(padded)) throw refuse(`时间不对: ${typed}`, `not a time of day (HH:MM): ${typed}`, usage);
  return padded;
}
