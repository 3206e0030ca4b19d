// /subscribe and /unsubscribe (/订阅, /退订): which pushes this group receives, confirmed with a card.
import { type Action, arg, type Command, defineCommand, UserError } from "../../src/bot/index.ts";
import type { Card } from "../../src/chat/card.ts";
import type { InboundMessage } from "../../src/chat/events.ts";
import type { Bilingual, Language } from "../../src/chat/language.ts";
import { md } from "../../src/chat/rich-text.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { REVIEW_PACK_TIME } from "../../src/domain/policy.ts";
import type {
  ChatSubscription,
  SubscribeOutcome,
  Topic,
} from "../../src/domain/subscriptions/subscriptions.ts";
import { maskWebhook } from "../../src/domain/subscriptions/wecom-webhook.ts";
import type { CommandDeps } from "../deps.ts";
import { parseSubscribeOptions, webhookLikeWords } from "./options.ts";

/** The heading /help lists settings under; /role shares it. */
export const SETTINGS: Bilingual = { zh: "设置", en: "Settings" };

const SUBSCRIBERS: readonly Role[] = ["manager", "admin"];

const TOPIC_NAMES_ZH = {
  digest: "日报",
  alerts: "告警",
  schedule: "排产",
  review: "评审",
  finance: "财务",
} as const satisfies Record<Topic, string>;
/** The topic as it may be typed, in either language. */
const TOPIC_WORDS = Object.entries(TOPIC_NAMES_ZH).flat();
const topic = arg.enum({ label: { zh: "订阅内容", en: "topic" }, choices: TOPIC_NAMES_ZH });

const topicName = (value: Topic, language: Language): string =>
  language === "zh" ? TOPIC_NAMES_ZH[value] : value;

/** "每个工作日 09:00 (Asia/Shanghai)" / "at once". */
function scheduleText(subscription: ChatSubscription, timezone: string, language: Language): string {
  if (subscription.topic === "review")
    return language === "zh"
      ? `每月第一个工作日 ${REVIEW_PACK_TIME} (${timezone}), 上月评审材料`
      : `the previous month's pack on each month's first working day at ${REVIEW_PACK_TIME} (${timezone})`;
  if (subscription.sendAt === null) return language === "zh" ? "发生时立即推送" : "the moment they happen";
  return language === "zh"
    ? `每个工作日 ${subscription.sendAt} (${timezone})`
    : `every working day at ${subscription.sendAt} (${timezone})`;
}

interface ConfirmationCard {
  headline: string;
  subscriptions: ChatSubscription[];
  webhookUrl: string | undefined;
  timezone: string;
  language: Language;
}

/** What the group receives now, after the change. */
function confirmationCard({
  headline,
  subscriptions,
  webhookUrl,
  timezone,
  language,
}: ConfirmationCard): Card {
  const t = (zh: string, en: string) => (language === "zh" ? zh : en);
  const fields = subscriptions.map((subscription) => ({
    label: topicName(subscription.topic, language),
    value: scheduleText(subscription, timezone, language),
  }));
  if (webhookUrl && subscriptions.length > 0)
    fields.push({ label: t("群机器人", "group robot"), value: maskWebhook(webhookUrl) });
  return {
    title: t("本群订阅", "This group's subscriptions"),
    tone: subscriptions.length > 0 ? "success" : "neutral",
    markdown:
      subscriptions.length > 0
        ? md`${headline}`
        : md`${headline}\n${t("本群不再接收推送。", "This group receives no pushes now.")}`,
    fields,
  };
}

function subscribedHeadline(outcome: SubscribeOutcome, subscribed: Topic, language: Language): string {
  const name = topicName(subscribed, language);
  if (language === "zh")
    return {
      created: `已订阅${name}。`,
      updated: `已更新${name}订阅。`,
      unchanged: `本群已订阅${name}, 未作更改。`,
    }[outcome];
  return {
    created: `Subscribed to the ${name}.`,
    updated: `Updated the ${name} subscription.`,
    unchanged: `Already subscribed to the ${name}; nothing changed.`,
  }[outcome];
}

export function createSubscriptionCommands(deps: CommandDeps): { commands: Command[]; actions: Action[] } {
  const { subscriptions } = deps.services;
  const { timezone } = deps.config;
  const wecomApiBase = deps.config.wecomBot?.apiBase ?? deps.config.wecom?.apiBase;

  /** The usage line refusals end with; in WeCom it names the webhook argument. */
  function usageFor(event: InboundMessage): Bilingual {
    const webhook =
      event.platform === "wecom" ? { zh: " [群机器人 Webhook 或 key]", en: " [robot-webhook]" } : undefined;
    return {
      zh: `用法: /订阅 <日报|告警|排产|评审|财务> [HH:MM]${webhook?.zh ?? ""}`,
      en: `usage: /subscribe <digest|alerts|schedule|review|finance> [HH:MM]${webhook?.en ?? ""}`,
    };
  }

  const card = async (event: InboundMessage, headline: string, language: Language) =>
    confirmationCard({
      headline,
      subscriptions: await subscriptions.ofChat(event.platform, event.chat.id),
      webhookUrl: await subscriptions.chatWebhook(event.platform, event.chat.id),
      timezone,
      language,
    });

  const subscribeCommand = defineCommand({
    id: "subscribe",
    group: SETTINGS,
    names: { en: ["subscribe"], zh: ["订阅"] },
    description: {
      zh: "为本群订阅日报、告警、排产计划 (每个工作日 08:00)、月度评审材料或财务 (报销单); 企业微信群在最后加上群机器人的 Webhook 地址或 key",
      en: "subscribe this group to the digest, alerts, the production schedule (every working day at 08:00), the monthly review pack or finance (reimbursements); in a WeCom group add the group robot's webhook URL or key last",
    },
    example: { zh: "日报 09:00", en: "digest 09:00" },
    roles: SUBSCRIBERS,
    args: { topic, time: arg.rest({ label: { zh: "时间", en: "time" }, optional: true }) },
    secretWords: (typed) => webhookLikeWords(typed, TOPIC_WORDS),
    handler: async ({ args, event, actor, language, reply }) => {
      const options = parseSubscribeOptions(args.time, {
        topic: args.topic,
        platform: event.platform,
        wecomApiBase,
        usage: usageFor(event),
      });
      // WeCom groups are pushed to only through their robot's webhook: one typed now or stored before.
      const needsWebhook = event.platform === "wecom" && event.chat.kind === "group";
      if (
        needsWebhook &&
        !options.webhookUrl &&
        !(await subscriptions.chatWebhook(event.platform, event.chat.id))
      ) {
        const usage = usageFor(event);
        throw new UserError(
          `企业微信群只能通过群机器人推送: 请在群设置 → 群机器人中添加机器人, 并把它的 Webhook 地址或 key 写在最后 — ${usage.zh}`,
          `a WeCom group is reached only through a group robot: add one in the group settings and put its webhook URL or key last — ${usage.en}`,
        );
      }
      const outcome = await subscriptions.subscribe({
        platform: event.platform,
        chat: event.chat,
        topic: args.topic,
        sendAt: options.sendAt,
        language,
        webhookUrl: options.webhookUrl,
        by: actor.personId,
        now: deps.now(),
        platformMessageId: event.messageId,
      });
      return reply.card(await card(event, subscribedHeadline(outcome, args.topic, language), language));
    },
  });

  const unsubscribeCommand = defineCommand({
    id: "unsubscribe",
    group: SETTINGS,
    names: { en: ["unsubscribe"], zh: ["退订"] },
    description: {
      zh: "取消本群的日报、告警、排产计划、评审或财务订阅",
      en: "stop the digest, alerts, production schedule, review pack or finance for this group",
    },
    example: { zh: "告警", en: "alerts" },
    roles: SUBSCRIBERS,
    args: { topic },
    handler: async ({ args, event, actor, language, reply }) => {
      const removed = await subscriptions.unsubscribe({
        platform: event.platform,
        chatId: event.chat.id,
        topic: args.topic,
        by: actor.personId,
        now: deps.now(),
        platformMessageId: event.messageId,
      });
      const zh = TOPIC_NAMES_ZH[args.topic];
      if (!removed)
        throw new UserError(
          `本群没有订阅${zh}, 未作更改`,
          `this group is not subscribed to the ${args.topic}; nothing changed`,
        );
      const headline = language === "zh" ? `已退订${zh}。` : `Unsubscribed from the ${args.topic}.`;
      return reply.card(await card(event, headline, language));
    },
  });

  return { commands: [subscribeCommand, unsubscribeCommand], actions: [] };
}
