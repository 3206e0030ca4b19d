// /help and /帮助: the command list, or one command's usage; its card switches language in place.
import { arg, buttonValue, defineAction, defineCommand, helpCard } from "../../src/bot/index.ts";
import type { Card } from "../../src/chat/card.ts";
import type { Language } from "../../src/chat/language.ts";

export const HELP_LANGUAGE_ACTION = "help.language";

/** The help card with a button that redraws it in the other language, for bilingual teams. */
function withLanguageSwitch(card: Card, language: Language, topic: string | undefined): Card {
  const other: Language = language === "zh" ? "en" : "zh";
  return {
    ...card,
    buttons: [
      {
        label: other === "en" ? "English" : "中文",
        action: HELP_LANGUAGE_ACTION,
        value: { ...buttonValue(topic ?? "", other), topic: topic ?? "" },
      },
    ],
  };
}

export const helpCommand = defineCommand({
  id: "help",
  names: { en: ["help"], zh: ["帮助"] },
  description: {
    zh: "列出全部命令, 或查看一个命令的用法和示例",
    en: "list every command, or show one command's usage",
  },
  example: "下单",
  args: { topic: arg.rest({ label: { zh: "命令", en: "command" }, optional: true }) },
  handler: ({ args, language, registry, reply }) =>
    reply.card(withLanguageSwitch(helpCard(registry, language, args.topic), language, args.topic)),
});

export const helpLanguageAction = defineAction({
  id: HELP_LANGUAGE_ACTION,
  handler: ({ event, language, registry }) => {
    const topic = event.value.topic || undefined;
    return { card: withLanguageSwitch(helpCard(registry, language, topic), language, topic) };
  },
});
