// An order's priority in words: the Chinese name users may type, and the priority as a card shows it.
import type { Language } from "../../src/chat/language.ts";
import type { Priority } from "../../src/domain/orders/index.ts";

/** Value → Chinese name; /order priority accepts either. */
export const PRIORITY_NAMES_ZH = { high: "高", normal: "普通", low: "低" } as const satisfies Record<
  Priority,
  string
>;

export const priorityWord = (priority: Priority, language: Language): string =>
  language === "zh" ? PRIORITY_NAMES_ZH[priority] : priority;
