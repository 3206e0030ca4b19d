// The roster's words: one post's line for /roster and the shortage alert, in Chinese or English, as plain text.
import type { Language } from "../../src/chat/language.ts";
import { ROSTER_SPARE_PERCENT } from "../../src/domain/policy.ts";
import type { RosterPost } from "../../src/domain/roster/roster.ts";

const pick = (language: Language, zh: string, en: string): string => (language === "zh" ? zh : en);

/** "packing: need 10, with 10 % spare 11, assigned 9 (Li, Wang…) ⚠ short by 2". */
export function postLine(post: RosterPost, language: Language): string {
  const people =
    post.assigned.length === 0
      ? pick(language, "无", "none")
      : post.assigned.join(pick(language, "、", ", "));
  const state = post.short
    ? pick(
        language,
        `⚠ 缺 ${post.required - post.assigned.length} 人`,
        `⚠ short by ${post.required - post.assigned.length}`,
      )
    : pick(language, "✓ 足够", "✓ ok");
  return pick(
    language,
    `${post.post}: 需要 ${post.need}, 含 ${ROSTER_SPARE_PERCENT}% 备员 ${post.required}, 已排 ${post.assigned.length} (${people}) ${state}`,
    `${post.post}: need ${post.need}, with ${ROSTER_SPARE_PERCENT}% spare ${post.required}, assigned ${post.assigned.length} (${people}) ${state}`,
  );
}

/** The alert for one short post of `day`. */
export const shortageText = (post: RosterPost, language: Language): string =>
  `${pick(language, `排班缺人 ${post.day}`, `Roster short on ${post.day}`)}\n${postLine(post, language)}`;
