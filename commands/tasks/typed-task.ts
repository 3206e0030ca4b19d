// A task as typed "<title…> @owner <due>", for /task new and a meeting's action alike: its owner made a person
// on first mention, its chat the message's.
import { arg } from "../../src/bot/index.ts";
import type { InboundMessage } from "../../src/chat/events.ts";
import type { Language } from "../../src/chat/language.ts";
import type { DomainServices } from "../../src/domain/services.ts";
import { mentionedPerson } from "../mentioned-names.ts";
import { personMentioned } from "../mentioned-people.ts";

export const TASK_NEW_ARGS = {
  title: arg.rest({ label: { zh: "事项", en: "title" } }),
  owner: arg.text({ label: { zh: "@负责人", en: "@owner" } }),
  due: arg.date({ label: { zh: "截止日期", en: "due date" } }),
} as const;

export async function typedTask(
  people: DomainServices["people"],
  typed: { title: string; owner: string; due: string },
  event: InboundMessage,
  at: Date,
  usage: (language: Language) => string,
) {
  const owner = await personMentioned(people, mentionedPerson(typed.owner, event, usage), event, at);
  return {
    title: typed.title,
    ownerPersonId: owner.personId,
    due: typed.due,
    chat: { platform: event.platform, chatId: event.chat.id },
  };
}
