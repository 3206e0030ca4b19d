// The console's people and groups: who you can be and where you can talk, seeded into the database at start.
import type { PlatformId } from "../src/chat/events.ts";
import type { Db } from "../src/db/database.ts";
import { grantRole, personForContact } from "../src/domain/people/people.ts";
import type { Role } from "../src/domain/people/role.ts";
import { DEFAULT_DIGEST_TIME } from "../src/domain/policy.ts";
import { subscribe } from "../src/domain/subscriptions/subscriptions.ts";

export interface ConsolePerson {
  key: string;
  name: string;
  roles: Role[];
}

export interface ConsoleGroup {
  key: string;
  title: string;
}

export const CONSOLE_PEOPLE: readonly ConsolePerson[] = [
  { key: "admin", name: "赵敏 Zhao Min", roles: ["admin"] },
  { key: "manager", name: "王伟 Wang Wei", roles: ["manager"] },
  { key: "cs", name: "李娜 Li Na", roles: ["cs"] },
  { key: "qa", name: "张强 Zhang Qiang", roles: ["qa"] },
  { key: "warehouse", name: "刘洋 Liu Yang", roles: ["warehouse"] },
  { key: "staff", name: "陈静 Chen Jing", roles: ["staff"] },
];

export const CONSOLE_GROUPS: readonly ConsoleGroup[] = [
  { key: "ops", title: "运营群 Operations" },
  { key: "managers", title: "管理群 Managers" },
  { key: "warehouse", title: "仓库群 Warehouse" },
];

/** The person's account id on each platform (Lark open_id, DingTalk staffId, WeCom userid). */
export function consoleUserId(platform: PlatformId, person: ConsolePerson): string {
  return platform === "lark" ? `ou_console_${person.key}` : `console_${person.key}`;
}

/** The group's chat id on each platform (Lark chat_id, DingTalk openConversationId, WeCom chatid). */
export function consoleChatId(platform: PlatformId, group: ConsoleGroup): string {
  if (platform === "lark") return `oc_console_${group.key}`;
  return platform === "dingtalk" ? `cidconsole${group.key}` : `wrconsole${group.key}`;
}

/** The group robot webhook key of a console WeCom group (not a secret: it only reaches the console's fake). */
export const consoleWebhookKey = (group: ConsoleGroup): string => `console-${group.key}-robot`;

export interface SeedOptions {
  platforms: readonly PlatformId[];
  now: Date;
  /** The WeCom group robot webhook URL of a console group. */
  wecomWebhookUrl(group: ConsoleGroup): string;
}

/**
 * The console people with their roles, and the first group subscribed to the digest and alerts, on every
 * console platform. Idempotent: a restart changes nothing but a WeCom webhook URL on a new port.
 */
export async function seedConsoleDirectory(db: Db, options: SeedOptions): Promise<void> {
  const { platforms, now } = options;
  const [ops] = CONSOLE_GROUPS;
  for (const platform of platforms) {
    let adminId: number | undefined;
    for (const person of CONSOLE_PEOPLE) {
      const known = await personForContact(db, {
        platform,
        userId: consoleUserId(platform, person),
        name: person.name,
        bootstrapAdmin: false,
        now,
      });
      for (const role of person.roles)
        await grantRole(db, { personId: known.personId, role, by: null, now, platform });
      if (person.roles.includes("admin")) adminId = known.personId;
    }
    if (!ops || adminId === undefined) continue;
    const chat = { id: consoleChatId(platform, ops), kind: "group" as const, title: ops.title };
    const webhookUrl = platform === "wecom" ? options.wecomWebhookUrl(ops) : undefined;
    for (const topic of ["digest", "alerts"] as const)
      await subscribe(db, {
        platform,
        chat,
        topic,
        sendAt: topic === "digest" ? DEFAULT_DIGEST_TIME : null,
        // The console's page starts in Chinese.
        language: "zh",
        webhookUrl,
        by: adminId,
        now,
      });
  }
}
