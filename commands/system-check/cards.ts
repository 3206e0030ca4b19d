// The /check cards: every system's checks as a form, started from the morning probe when there was one, and the
// summary of a submitted check.
import { buttonValue } from "../../src/bot/index.ts";
import type { Card, FormInput } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";
import { joinRich, md, type RichText } from "../../src/chat/rich-text.ts";
import type { InspectionArea } from "../../src/domain/inspections/checklist.ts";
import type { InspectionRecord } from "../../src/domain/inspections/records.ts";
import type { ProbeResult } from "../../src/domain/system-check/probe.ts";

export const SYSTEM_CHECK_SUBMIT_ACTION = "system_check.submit";

/** The item the probe answers for: whether the system could be reached. */
const PROBED_ITEM = "reachable";

const say = (language: Language) => (zh: string, en: string) => (language === "zh" ? zh : en);

/** A form input's name: the system's key and the item's, so one form holds every system. */
export const inputName = (area: InspectionArea, itemCode: string): string => `${area.code}__${itemCode}`;

const systemName = (area: InspectionArea, language: Language) =>
  language === "zh" ? area.nameZh : area.nameEn;

function probeLine(area: InspectionArea, probe: ProbeResult | undefined, language: Language): RichText {
  const t = say(language);
  const name = systemName(area, language);
  if (!probe) return md`• ${name}: ${t("未自动探测", "not probed")}`;
  const answer =
    probe.status === null
      ? t(`无应答 (${probe.failure ?? "error"})`, `no answer (${probe.failure ?? "error"})`)
      : `HTTP ${probe.status}`;
  const mark = probe.reachable ? "✓" : "✗";
  return md`${mark} ${name}: ${answer} · ${String(probe.latencyMs)} ms`;
}

/** The typed form, for chats whose cards cannot take input. */
export function typedCheckUsage(systems: readonly InspectionArea[], language: Language): string {
  const command = language === "zh" ? "/系统检查" : "/check";
  const slots = systems.flatMap((area) => area.items.map((item) => `<${area.code}.${item.code}>`));
  return [command, ...slots].join(" ");
}

/** Every active system's checks; `reachable` starts from this morning's probe of the system, when there was one. */
export function systemCheckFormCard(
  systems: readonly InspectionArea[],
  probes: readonly ProbeResult[],
  language: Language,
  day: string,
): Card {
  const t = say(language);
  const probeOf = (area: InspectionArea) => probes.find((probe) => probe.system === area.code);
  const inputs: FormInput[] = systems.flatMap((area) =>
    area.items.map((item) => {
      const probe = item.code === PROBED_ITEM ? probeOf(area) : undefined;
      return {
        name: inputName(area, item.code),
        label: `${systemName(area, language)} · ${language === "zh" ? item.labelZh : item.labelEn}`,
        type: "select",
        required: true,
        options: [
          { value: "pass", label: t("正常", "OK") },
          { value: "fail", label: t("异常", "Not OK") },
        ],
        ...(probe ? { initial: probe.reachable ? "pass" : "fail" } : {}),
      } satisfies FormInput;
    }),
  );
  const probed = probes.length > 0;
  return {
    title: t(`早间系统检查 · ${day}`, `Morning system check · ${day}`),
    tone: "info",
    markdown: joinRich(
      [
        md`${probed ? t("今晨自动探测:", "This morning's probe:") : t("逐项确认后提交。", "Confirm each item and submit.")}`,
        ...(probed ? systems.map((area) => probeLine(area, probeOf(area), language)) : []),
        md`${t("也可以直接发送 (正常/异常):", "Or send (ok/fail):")}\n${typedCheckUsage(systems, language)}`,
      ],
      "\n",
    ),
    form: {
      action: SYSTEM_CHECK_SUBMIT_ACTION,
      value: buttonValue("systems", language),
      submitLabel: t("提交", "Submit"),
      inputs,
    },
  };
}

/** The stored check: one line per system with its items, the numbers of the records. */
export function systemCheckSummaryCard(records: readonly InspectionRecord[], language: Language): Card {
  const t = say(language);
  const failed = records.some((record) => record.findingCount > 0);
  const lines = records.map((record) => {
    const items = record.results
      .map(
        (result) =>
          `${language === "zh" ? result.item.labelZh : result.item.labelEn} ${result.passed ? "✓" : "✗"}`,
      )
      .join(" · ");
    const line = md`${systemName(record.area, language)} (${record.number}): ${items}`;
    return record.findingCount > 0 ? md`**${line}**` : line;
  });
  return {
    title: t("早间系统检查已记录", "Morning system check recorded"),
    tone: failed ? "danger" : "success",
    markdown: joinRich(lines, "\n"),
    note: failed
      ? t("异常项已通知告警群", "The alert groups are told of what is not OK")
      : t("所有系统正常", "Every system OK"),
  };
}
