// A refusal a handler explains to the user ("交期不能早于今天"): becomes a reply, never a stack trace.
import type { Language } from "./i18n.ts";

export class UserError extends Error {
  override readonly name = "UserError";

  constructor(
    readonly messageZh: string,
    readonly messageEn: string,
  ) {
    super(messageEn);
  }

  in(language: Language): string {
    return language === "zh" ? this.messageZh : this.messageEn;
  }
}
