// The one short mark every deadline, digest, alert, KPI window and cut-off carries when it rests on a provisional day.

export const PROVISIONAL_MARK = { zh: "（暂定）", en: " (provisional)" } as const;

/** The mark for a value that depends on a provisional day, or "" for one that does not. */
export function provisionalMark(provisional: boolean, language: "zh" | "en"): string {
  return provisional ? PROVISIONAL_MARK[language] : "";
}

/** The mark on a card that speaks both languages at once (alerts). */
export function bilingualProvisionalMark(provisional: boolean): string {
  return provisional ? `${PROVISIONAL_MARK.zh}${PROVISIONAL_MARK.en}` : "";
}
