// /role grant|revoke through the bot handler: who may, every role in both languages, members, last admin, audit.
import { beforeEach, describe, expect, it } from "vitest";
import { ROLE_NAMES_ZH } from "../../../src/bot/role-words.ts";
import type { Role } from "../../../src/domain/people/role.ts";
import { grantRole, revokeRole, rolesOf } from "../../../src/domain/people/roles.ts";
import { useTestDatabase } from "../../helpers/database.ts";
import { type BotUnderTest, botUnderTest } from "./bot-under-test.ts";

const BOSS = { id: "ou_boss", name: "Boss" };
const STAFF = { id: "ou_staff", name: "Staff" };
const WANG = { id: "ou_wang", name: "Wang Wei" };
const ROLES = Object.entries(ROLE_NAMES_ZH) as [Role, string][];

const t = useTestDatabase();
let bot: BotUnderTest;

beforeEach(async () => {
  bot = botUnderTest(t.database, { OPS_ADMINS: "lark:ou_boss,wecom:laoban" });
});

async function rolesOfAccount(userId: string, platform: "lark" | "wecom" = "lark"): Promise<Role[]> {
  const personId = await bot.personIdOf(platform, userId);
  return personId === undefined ? [] : rolesOf(t.database.db, personId);
}

describe("who may change roles", () => {
  it("lets an OPS_ADMINS account grant at its first message", async () => {
    expect(await bot.sayText(BOSS, "/role grant ou_li cs")).toBe("Granted ou_li the cs role. Roles now: cs");
    expect(await rolesOfAccount("ou_boss")).toEqual(["admin"]);
    expect(await rolesOfAccount("ou_li")).toEqual(["cs"]);
  });

  it("does not make the same user id on another platform an admin", async () => {
    const reply = await bot.sayText(BOSS, "/role grant ou_li cs", { platform: "dingtalk" });
    expect(reply).toBe("you may not use /role — needs role: admin");
  });

  it.each([
    ["/role grant ou_li cs", "you may not use /role — needs role: admin"],
    ["/角色 授予 ou_li 客服", "你没有权限使用 /角色 — 需要角色: 管理员"],
    ["/role revoke ou_boss admin", "you may not use /role — needs role: admin"],
  ])("refuses %j from a member who is not admin, naming the role needed", async (text, expected) => {
    const staff = await seed(STAFF.id);
    await grantRole(t.database.db, { personId: staff, role: "manager", by: null, now: bot.clock.now() });
    expect(await bot.sayText(STAFF, text)).toBe(expected);
    expect(await bot.personIdOf("lark", "ou_li")).toBeUndefined();
    expect(await rolesOfAccount("ou_boss")).toEqual([]);
    expect(await bot.auditRows("role.revoked")).toEqual([]);
  });
});

/** Creates the account's person by having it say something harmless. */
async function seed(userId: string): Promise<number> {
  await bot.say({ id: userId }, "/role");
  return (await bot.personIdOf("lark", userId)) as number;
}

describe("every role, in English and in Chinese", () => {
  it.each(ROLES)("grants and revokes %s (%s)", async (role, zh) => {
    expect(await bot.sayText(BOSS, `/role grant ou_li ${role}`)).toMatch(`Granted ou_li the ${role} role`);
    expect(await rolesOfAccount("ou_li")).toEqual([role]);
    expect(await bot.sayText(BOSS, `/role revoke ou_li ${role}`)).toMatch(
      `Revoked the ${role} role from ou_li. Roles now: none`,
    );
    expect(await bot.sayText(BOSS, `/角色 授予 ou_li ${zh}`)).toBe(`已授予 ou_li ${zh}角色。现有角色: ${zh}`);
    expect(await rolesOfAccount("ou_li")).toEqual([role]);
    expect(await bot.sayText(BOSS, `/角色 撤销 ou_li ${zh}`)).toBe(`已撤销 ou_li 的${zh}角色。现有角色: 无`);
    expect(await rolesOfAccount("ou_li")).toEqual([]);
  });

  it("accepts a Chinese role name after an English command and lists roles most powerful first", async () => {
    await bot.say(BOSS, "/role grant ou_li staff");
    expect(await bot.sayText(BOSS, "/role grant ou_li 经理")).toBe(
      "Granted ou_li the manager role. Roles now: manager, staff",
    );
  });

  it.each([
    [
      "/role grant ou_li boss",
      /^role must be one of admin, manager, cs, qa, warehouse, finance or staff: boss — usage: \/role/,
    ],
    ["/角色 授予 ou_li 老板", /^角色必须是.*管理员.*: 老板 — 用法: \/角色/],
    ["/role give ou_li cs", /^change must be one of grant or revoke: give — usage/],
    ["/role grant ou_li", /^missing role — usage: \/role <grant\|revoke> <user> <admin\|manager/],
  ])("answers %j with the mistake and the usage, changing nothing", async (text, expected) => {
    expect(await bot.sayText(BOSS, text)).toMatch(expected);
    expect(await bot.personIdOf("lark", "ou_li")).toBeUndefined();
    expect(await bot.auditRows("role.granted")).toHaveLength(1); // the bootstrap grant only
  });
});

describe("naming the member", () => {
  it("resolves an @mention to the mentioned account and creates it with its name", async () => {
    const reply = await bot.sayText(BOSS, "/role grant @Wang Wei manager", { mentions: [WANG] });
    expect(reply).toBe("Granted Wang Wei the manager role. Roles now: manager");
    expect(await rolesOfAccount("ou_wang")).toEqual(["manager"]);
  });

  it("picks the mention whose name was written when several people are mentioned", async () => {
    const li = { id: "ou_li", name: "Li Na" };
    // A mention left before the command (one the adapter did not strip) is not the member.
    const reply = await bot.sayText(BOSS, "@Wang Wei /角色 授予 @Li Na 客服", { mentions: [WANG, li] });
    expect(reply).toBe("已授予 Li Na 客服角色。现有角色: 客服");
    expect(await rolesOfAccount("ou_wang")).toEqual([]);
  });

  it("takes a plain user id in WeCom, which sends no mentions", async () => {
    const chat = { id: "wrk_group", kind: "group" as const };
    const reply = await bot.sayText({ id: "laoban" }, "/角色 授予 zhangsan 客服", {
      platform: "wecom",
      chat,
    });
    expect(reply).toBe("已授予 zhangsan 客服角色。现有角色: 客服");
    expect(await rolesOfAccount("zhangsan", "wecom")).toEqual(["cs"]);
    expect(await bot.personIdOf("lark", "zhangsan")).toBeUndefined();
  });

  it("explains an @name that came without a mention, and what to type instead", async () => {
    const reply = await bot.sayText({ id: "laoban" }, "/角色 授予 @张三 客服", { platform: "wecom" });
    expect(reply).toMatch(/^无法识别 @张三: .*用户ID, 例如 \/角色 授予 zhangsan 客服$/);
    expect(await bot.auditRows("person.created")).toHaveLength(1); // laoban only
  });

  it("refuses a member that is neither a mention nor a user id", async () => {
    expect(await bot.sayText(BOSS, "/role grant 张三 cs")).toMatch(
      /^the user must be an @mention or a user id .*: 张三$/,
    );
    expect(await bot.auditRows("person.created")).toHaveLength(1);
  });
});

describe("changes that change nothing", () => {
  it("says so for a role already held and for one not held, without audit rows", async () => {
    await bot.say(BOSS, "/role grant ou_li cs");
    const before = await bot.auditRows();

    expect(await bot.sayText(BOSS, "/role grant ou_li cs")).toBe(
      "ou_li already has the cs role; nothing changed",
    );
    expect(await bot.sayText(BOSS, "/角色 撤销 ou_li 财务")).toBe("ou_li 没有财务角色, 未作更改");
    expect(await bot.auditRows()).toEqual(before);
    expect(await rolesOfAccount("ou_li")).toEqual(["cs"]);
  });
});

describe("revoking from an account the bot never heard of", () => {
  it("answers that it holds no role and creates no person", async () => {
    expect(await bot.sayText(BOSS, "/role revoke ou_ghost cs")).toBe(
      "ou_ghost does not have the cs role; nothing changed",
    );
    expect(await bot.personIdOf("lark", "ou_ghost")).toBeUndefined();
  });
});

describe("the last admin", () => {
  it("refuses to let the only admin revoke their own admin role", async () => {
    await bot.say(BOSS, "/role grant ou_li cs");
    expect(await bot.sayText(BOSS, "/role revoke ou_boss admin")).toMatch(
      /^you are the only admin and cannot revoke your own admin role/,
    );
    expect(await bot.sayText(BOSS, "/角色 撤销 ou_boss 管理员")).toMatch(/^你是唯一的管理员/);
    expect(await rolesOfAccount("ou_boss")).toEqual(["admin"]);
    expect(await bot.auditRows("role.revoked")).toEqual([]);
  });

  it("lets an admin step down once there is another, noting that OPS_ADMINS brings it back", async () => {
    await bot.say(BOSS, "/role grant @Wang Wei admin", { mentions: [WANG] });
    const reply = await bot.sayText(BOSS, "/role revoke ou_boss admin");
    expect(reply).toBe(
      "Revoked the admin role from Boss. Roles now: none Note: this account is in OPS_ADMINS and becomes admin again at its next message.",
    );
    expect(await rolesOfAccount("ou_boss")).toEqual([]);
    // Wang, not bootstrapped, can now be demoted by the returning boss: no note for him.
    expect(await bot.sayText(BOSS, "/role revoke ou_wang admin")).toBe(
      "Revoked the admin role from Wang Wei. Roles now: none",
    );
  });

  it("lets only one of two admins revoking each other at the same moment succeed", async () => {
    const boss = await seed(BOSS.id);
    const wang = await seed(WANG.id);
    await grantRole(t.database.db, { personId: wang, role: "admin", by: boss, now: bot.clock.now() });
    const now = bot.clock.now();

    const outcomes = await Promise.all([
      revokeRole(t.database.db, { personId: wang, role: "admin", by: boss, now }),
      revokeRole(t.database.db, { personId: boss, role: "admin", by: wang, now }),
    ]);
    expect(outcomes.sort()).toEqual(["last_admin", "revoked"]);
    expect((await rolesOf(t.database.db, boss)).length + (await rolesOf(t.database.db, wang)).length).toBe(1);
  });
});

describe("audit", () => {
  it("records who changed which role from which message, with the roles before and after", async () => {
    await bot.say(BOSS, "/role grant ou_li staff");
    await bot.say(BOSS, "/role grant ou_li qa");
    await bot.say(BOSS, "/role revoke ou_li staff");
    const boss = await bot.personIdOf("lark", BOSS.id);
    const li = String(await bot.personIdOf("lark", "ou_li"));

    const rows = (await bot.auditRows()).filter(
      (row) => row.entityId === li && row.action.startsWith("role."),
    );
    expect(
      rows.map(({ action, actorPersonId, platform, platformMessageId, before, after }) => ({
        action,
        actorPersonId,
        platform,
        platformMessageId,
        before,
        after,
      })),
    ).toEqual([
      {
        action: "role.granted",
        actorPersonId: boss,
        platform: "lark",
        platformMessageId: "om_1",
        before: { roles: [] },
        after: { roles: ["staff"] },
      },
      {
        action: "role.granted",
        actorPersonId: boss,
        platform: "lark",
        platformMessageId: "om_2",
        before: { roles: ["staff"] },
        after: { roles: ["qa", "staff"] },
      },
      {
        action: "role.revoked",
        actorPersonId: boss,
        platform: "lark",
        platformMessageId: "om_3",
        before: { roles: ["qa", "staff"] },
        after: { roles: ["qa"] },
      },
    ]);
  });
});
