// A refusal a handler explains to the user ("交期不能早于今天"): becomes a reply, never a stack trace.
import type { Language } from "../chat/language.ts";

/**
 * Why a caller was denied (not merely corrected): the role check, an entity of another chat, someone else's
 * order, an entity or action a card could not have carried. Every denial is audited.
 */
export type DenialReason = "role" | "other_chat" | "not_creator" | "unknown_entity" | "unknown_action";

/** A denial and what it was about: the entity when there is one, else the command or action itself. */
export interface Denial {
  reason: DenialReason;
  entityType: string;
  entityId: string;
}

export class UserError extends Error {
  override readonly name = "UserError";

  constructor(
    readonly messageZh: string,
    readonly messageEn: string,
    /** Set when the refusal denies access rather than corrects a mistake. */
    readonly denial?: Denial,
    /** The domain refusal it puts into words, kept as the cause. */
    options?: ErrorOptions,
  ) {
    super(messageEn, options);
  }

  in(language: Language): string {
    return language === "zh" ? this.messageZh : this.messageEn;
  }
}
