// Complaint commands and card buttons end to end over a real database: states, refusals, roles, races, audit.
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { md } from "../../../src/chat/rich-text.ts";
import { complaints } from "../../../src/db/schema/index.ts";
import { MINUTE_MS } from "../../../src/domain/calendar/local-time.ts";
import { useTestDatabase } from "../../helpers/database.ts";
import { sourceOf } from "../../helpers/rich-text.ts";
import {
  button,
  buttonLabels,
  type ComplaintBot,
  cardOf,
  createComplaintBot,
  field,
  numberOf,
  textOf,
} from "./complaint-bot.ts";

const t = useTestDatabase();
let bot: ComplaintBot;
type Person = Awaited<ReturnType<ComplaintBot["person"]>>;
let clerk: Person;
let agent: Person;
let manager: Person;

beforeEach(async () => {
  // Wed 2026-09-30 10:00 in Shanghai.
  bot = createComplaintBot(t.database, { start: "2026-09-30T02:00:00Z" });
  clerk = await bot.person("ou_clerk", "张三");
  agent = await bot.person("ou_agent", "李四", ["cs"]);
  manager = await bot.person("ou_manager", "王伟", ["manager"]);
});

/**
 * Makes a race certain on Postgres: a row lock held meanwhile lets both changes read the complaint but holds
 * both of their writes until each is waiting, so both decide on the same version. (PGlite has one
 * connection, where the calls simply interleave as they come.)
 */
async function bothReadBeforeEitherWrites<T>(number: string, race: () => Promise<T>): Promise<T> {
  if (t.database.mode !== "postgres") return race();
  const { db } = t.database;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = db.transaction(async (tx) => {
    await tx.select().from(complaints).where(eq(complaints.number, number)).for("update");
    locked();
    await released;
  });
  await isLocked;
  const racing = race();
  for (let polls = 0; ; polls++) {
    const rows = (await db.execute(
      sql`select count(*)::int as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`,
    )) as unknown as { waiting: number }[];
    if ((rows[0]?.waiting ?? 0) >= 2) break;
    if (polls > 10_000) throw new Error("the two writes never both waited on the lock");
  }
  release();
  await holder;
  return racing;
}

async function open(by: Person = clerk, text = "/投诉 华为 包装破损") {
  return numberOf(cardOf(await bot.say(by, text)));
}

describe("/回复 records the first response", () => {
  it("stops the 24 h clock, makes the responder the owner, and leaves only Resolve", async () => {
    const number = await open();
    bot.clock.advance(90 * MINUTE_MS);
    const card = cardOf(await bot.say(agent, `/回复 ${number} 已致电客户, 明天补发`));
    expect(field(card, "状态")).toBe("已回复, 待解决");
    expect(field(card, "负责人")).toBe("李四");
    expect(field(card, "首次回复期限")).toBe("2026-10-01 10:00 (周四) · 已按时回复");
    expect(sourceOf(card.markdown)).toContain("**首次回复** (李四 · 2026-09-30 11:30)\n已致电客户, 明天补发");
    expect(buttonLabels(card)).toEqual(["解决"]);
    expect(card.note).toBe("李四 于 2026-09-30 11:30 回复");
    expect(await bot.row(number)).toMatchObject({
      status: "responded",
      respondedAt: new Date("2026-09-30T03:30:00Z"),
      respondedBy: agent.personId,
      ownerId: agent.personId,
      response: "已致电客户, 明天补发",
      version: 2,
    });
  });

  it("refuses a second response, naming who answered and when, and changes nothing", async () => {
    const number = await open();
    await bot.say(agent, `/回复 ${number} 第一次`);
    bot.clock.advance(5 * MINUTE_MS);
    const reply = textOf(await bot.say(manager, `/回复 ${number} 第二次`));
    expect(reply).toBe(`投诉 ${number} 已由 李四 于 2026-09-30 10:00 首次回复; 后续进展请在解决时记录`);
    const english = textOf(await bot.say(manager, `/complaint respond ${number} again`));
    expect(english).toContain(`complaint ${number} was already responded to by 李四 at 2026-09-30 10:00`);
    expect(await bot.row(number)).toMatchObject({ response: "第一次", version: 2 });
  });

  it("shows a late response as late", async () => {
    const number = await open(clerk, "/complaint new Acme broken seal");
    bot.clock.advance(27 * 60 * MINUTE_MS);
    const card = cardOf(await bot.say(agent, `/complaint respond ${number} sorry for the delay`));
    expect(field(card, "First response due")).toBe("2026-10-01 10:00 (Thu) · responded 3 h late");
  });

  it("accepts a lower-case number", async () => {
    const number = await open();
    const card = cardOf(await bot.say(agent, `/回复 ${number.toLowerCase()} 收到`));
    expect(numberOf(card)).toBe(number);
  });
});

describe("/解决 resolves", () => {
  it("an unanswered complaint gets its first response recorded at the same time", async () => {
    const number = await open();
    bot.clock.advance(2 * 60 * MINUTE_MS);
    const card = cardOf(await bot.say(manager, `/解决 ${number} 已补发两箱`));
    expect(card.tone).toBe("success");
    expect(buttonLabels(card)).toEqual([]);
    expect(field(card, "状态")).toBe("已解决");
    expect(field(card, "首次回复期限")).toContain("已按时回复");
    expect(field(card, "解决期限")).toContain("已按时解决");
    const at = new Date("2026-09-30T04:00:00Z");
    expect(await bot.row(number)).toMatchObject({
      status: "resolved",
      respondedAt: at,
      respondedBy: manager.personId,
      response: "已补发两箱",
      resolvedAt: at,
      resolvedBy: manager.personId,
      resolution: "已补发两箱",
      ownerId: manager.personId,
    });
  });

  it("keeps an earlier response and refuses a second resolution with who resolved it", async () => {
    const number = await open();
    await bot.say(agent, `/回复 ${number} 已联系`);
    bot.clock.advance(MINUTE_MS);
    await bot.say(agent, `/解决 ${number} 已补发`);
    expect(await bot.row(number)).toMatchObject({ response: "已联系", resolution: "已补发", version: 3 });
    const reply = textOf(await bot.say(manager, `/解决 ${number} 再次`));
    expect(reply).toBe(`投诉 ${number} 已由 李四 于 2026-09-30 10:01 解决`);
    const respond = textOf(await bot.say(manager, `/回复 ${number} 晚了`));
    expect(respond).toContain("已由 李四 于 2026-09-30 10:01 解决");
  });

  it("two resolves at the same moment: one resolution, the other is told who resolved it", async () => {
    const number = await open();
    const replies = await bothReadBeforeEitherWrites(number, () =>
      Promise.all([
        bot.say(agent, `/解决 ${number} 李四的方案`),
        bot.say(manager, `/解决 ${number} 王伟的方案`),
      ]),
    );
    const cards = replies.filter((reply) => reply.type === "card");
    const texts = replies.filter((reply) => reply.type === "text").map(textOf);
    expect(cards).toHaveLength(1);
    expect(texts).toHaveLength(1);
    const row = await bot.row(number);
    const winner = row?.resolvedBy === agent.personId ? "李四" : "王伟";
    expect(row?.resolution).toBe(`${winner}的方案`);
    expect(texts[0]).toBe(`投诉 ${number} 已由 ${winner} 于 2026-09-30 10:00 解决`);
    const audits = await bot.auditRows(number);
    expect(audits.filter((entry) => entry.action === "complaint.resolved")).toHaveLength(1);
  });
});

describe("/评分 records satisfaction", () => {
  it("refuses an unresolved complaint and scores outside 1–5; records and corrects with audit", async () => {
    const number = await open();
    expect(textOf(await bot.say(agent, `/评分 ${number} 5`))).toBe(`投诉 ${number} 尚未解决, 解决后才能评分`);
    await bot.say(agent, `/解决 ${number} 已补发`);
    expect(textOf(await bot.say(agent, `/评分 ${number} 6`))).toMatch(
      /^评分必须在 1 到 5 之间: 6 — 用法: \/评分/,
    );
    expect(textOf(await bot.say(agent, `/评分 ${number} 0`))).toMatch(/^评分必须是正整数: 0 — 用法/);
    expect(textOf(await bot.say(agent, `/complaint rate ${number} great`))).toMatch(
      /^score must be a positive integer: great — usage: \/complaint rate/,
    );
    expect((await bot.row(number))?.satisfaction).toBeNull();

    const rated = cardOf(await bot.say(agent, `/评分 ${number} 2`));
    expect(field(rated, "客户满意度")).toBe("2/5");
    expect(rated.note).toBe("李四 于 2026-09-30 10:00 记录评分 2");
    bot.clock.advance(MINUTE_MS);
    const corrected = cardOf(await bot.say(manager, `/评分 ${number} 5`));
    expect(corrected.note).toBe("评分已由 2 更正为 5");
    expect(await bot.row(number)).toMatchObject({
      satisfaction: 5,
      ratedBy: manager.personId,
      ratedAt: new Date("2026-09-30T02:01:00Z"),
    });
    const ratings = (await bot.auditRows(number)).filter((entry) => entry.action === "complaint.rated");
    expect(
      ratings.map((entry) =>
        [entry.before, entry.after].map((s) => (s as { satisfaction: number }).satisfaction),
      ),
    ).toEqual([
      [null, 2],
      [2, 5],
    ]);
  });
});

describe("error replies", () => {
  it.each([
    ["/回复 C-20990101-001 你好", "找不到投诉 C-20990101-001"],
    ["/解决 C-20990101-001 好了", "找不到投诉 C-20990101-001"],
    ["/complaint rate C-20990101-001 4", "no complaint C-20990101-001"],
  ])("unknown number: %s", async (text, expected) => {
    expect(textOf(await bot.say(manager, text))).toBe(expected);
  });

  it("bad number, missing arguments", async () => {
    expect(textOf(await bot.say(agent, "/回复 123 你好"))).toMatch(
      /^投诉号格式不对 \(例如 C-20261126-001\): 123 — 用法: \/回复 <投诉号> <内容…>$/,
    );
    expect(textOf(await bot.say(clerk, "/投诉 华为"))).toMatch(/^缺少内容 — 用法: \/投诉 <客户> <内容…>$/);
    expect(textOf(await bot.say(clerk, "/complaint new"))).toMatch(
      /^missing customer — usage: \/complaint new/,
    );
    expect(textOf(await bot.say(agent, `/回复 ${await open()}`))).toMatch(/^缺少内容/);
  });

  it("wrong role: respond, resolve and rate need cs, manager or admin; anyone may open and list", async () => {
    const number = await open();
    expect(textOf(await bot.say(clerk, `/解决 ${number} 好了`))).toBe(
      "你没有权限使用 /解决 — 需要角色: 客服、经理 或 管理员",
    );
    expect(textOf(await bot.say(clerk, `/complaint respond ${number} hi`))).toBe(
      "you may not use /complaint respond — needs role: cs, manager or admin",
    );
    expect(textOf(await bot.say(clerk, `/评分 ${number} 5`))).toContain("需要角色: 客服、经理 或 管理员");
    expect(cardOf(await bot.say(clerk, "/投诉列表")).title).toBe("投诉 · 未解决 (1)");
    expect((await bot.row(number))?.version).toBe(1);
  });
});

describe("/投诉列表", () => {
  it("open, overdue and mine", async () => {
    const first = await open(clerk, "/投诉 华为 第一");
    bot.clock.advance(60 * MINUTE_MS);
    const second = await open(agent, "/投诉 小米 第二");
    const third = await open(clerk, "/投诉 OPPO 第三");
    await bot.say(manager, `/解决 ${third} 已处理`);
    await bot.say(agent, `/回复 ${first} 收到`);

    const openList = cardOf(await bot.say(clerk, "/投诉列表"));
    expect(openList.title).toBe("投诉 · 未解决 (2)");
    expect(sourceOf(openList.markdown).split("\n")).toEqual([
      `- **${first}** 华为 · 已回复, 待解决 · 解决 还剩 9 天 23 小时 · 李四`,
      `- **${second}** 小米 · 待回复 · 回复 还剩 24 小时 · 解决 还剩 10 天`,
    ]);
    // 24 h after the second one: only the second still has its first-response clock running past due.
    bot.clock.advance(24 * 60 * MINUTE_MS);
    const overdue = cardOf(await bot.say(clerk, "/complaint list overdue"));
    expect(overdue.title).toBe("Complaints · overdue (1)");
    expect(overdue.tone).toBe("danger");
    expect(sourceOf(overdue.markdown)).toContain(`**${second}**`);
    // Mine: opened by me (first, third) or owned by me (first was taken by 李四's response, still opened by me).
    const mine = cardOf(await bot.say(clerk, "/投诉列表 我的"));
    expect(sourceOf(mine.markdown).match(/C-\d{8}-\d{3}/g)).toEqual([third, first]);
    const agentsOwn = cardOf(await bot.say(agent, "/complaint list mine"));
    expect(sourceOf(agentsOwn.markdown).match(/C-\d{8}-\d{3}/g)).toEqual([second, first]);
    expect(sourceOf(cardOf(await bot.say(manager, "/complaint list mine")).markdown)).toContain(third);
  });

  it("says so when there is nothing", async () => {
    const card = cardOf(await bot.say(clerk, "/complaint list overdue"));
    expect(card).toMatchObject({
      title: "Complaints · overdue (0)",
      tone: "info",
      markdown: md`${"No complaints"}`,
    });
  });
});

describe("card buttons", () => {
  it("Take → Respond form → submit → Resolve form → submit, each card showing only what still applies", async () => {
    const opened = cardOf(await bot.say(clerk, "/投诉 华为 包装破损"));
    const number = numberOf(opened);
    expect(buttonLabels(opened)).toEqual(["认领", "回复", "解决"]);
    expect(button(opened, "认领")).toMatchObject({
      action: "complaint.take",
      value: { id: number, lang: "zh" },
    });

    const taken = await bot.click(agent, button(opened, "认领"));
    expect(taken.toast?.text).toBe(`已认领 ${number}`);
    expect(field(cardOf(taken), "负责人")).toBe("李四");
    expect(buttonLabels(cardOf(taken))).toEqual(["回复", "解决"]);

    const form = cardOf(await bot.click(agent, button(cardOf(taken), "回复")));
    expect(form.form).toMatchObject({
      action: "complaint.respond.submit",
      value: { id: number, lang: "zh" },
      inputs: [{ name: "text", type: "text", required: true, placeholder: `/回复 ${number} …` }],
    });
    expect(buttonLabels(form)).toEqual(["返回"]);
    expect(cardOf(await bot.click(agent, button(form, "返回"))).form).toBeUndefined();

    const empty = await bot.click(agent, form.form ?? { action: "" }, { form: { text: "  " } });
    expect(empty.toast?.text).toBe("请填写回复内容");
    bot.clock.advance(10 * MINUTE_MS);
    const responded = await bot.click(agent, form.form ?? { action: "" }, { form: { text: "已联系客户" } });
    expect(responded.toast).toEqual({ kind: "success", text: "已记录首次回复" });
    expect(buttonLabels(cardOf(responded))).toEqual(["解决"]);
    expect(cardOf(responded).note).toBe("李四 于 2026-09-30 10:10 回复");

    const resolveForm = cardOf(await bot.click(agent, button(cardOf(responded), "解决")));
    expect(resolveForm.form?.action).toBe("complaint.resolve.submit");
    const resolved = await bot.click(agent, resolveForm.form ?? { action: "" }, { form: { text: "已补发" } });
    expect(cardOf(resolved)).toMatchObject({ tone: "success", buttons: [] });
    expect(await bot.row(number)).toMatchObject({
      status: "resolved",
      response: "已联系客户",
      resolution: "已补发",
      ownerId: agent.personId,
      version: 4,
    });

    const actions = (await bot.auditRows(number)).map((entry) => [entry.action, entry.actorPersonId]);
    expect(actions).toEqual([
      ["complaint.opened", clerk.personId],
      ["complaint.taken", agent.personId],
      ["complaint.responded", agent.personId],
      ["complaint.resolved", agent.personId],
    ]);
  });

  it("a stale button is answered with who acted first and the card as it now stands", async () => {
    const opened = cardOf(await bot.say(clerk, "/complaint new Acme broken seal"));
    await bot.click(agent, button(opened, "Take"));
    const late = await bot.click(manager, button(opened, "Take"));
    expect(late.toast).toEqual({
      kind: "warning",
      text: `complaint ${numberOf(opened)} was already taken by 李四`,
    });
    expect(buttonLabels(cardOf(late))).toEqual(["Respond", "Resolve"]);

    await bot.say(agent, `/complaint resolve ${numberOf(opened)} done`);
    const respond = await bot.click(manager, button(opened, "Respond"));
    expect(respond.toast?.text).toContain("was already resolved by 李四");
    expect(cardOf(respond).buttons).toEqual([]);
  });

  it("two Take clicks at once: one owner, one audit row, the other is told who took it", async () => {
    const opened = cardOf(await bot.say(clerk, "/投诉 华为 包装破损"));
    const results = await Promise.all([
      bot.click(agent, button(opened, "认领")),
      bot.click(manager, button(opened, "认领")),
    ]);
    const owner = (await bot.row(numberOf(opened)))?.ownerId;
    const ownerName = owner === agent.personId ? "李四" : "王伟";
    expect(results.map((result) => result.toast?.kind).sort()).toEqual(["success", "warning"]);
    expect(results.find((result) => result.toast?.kind === "warning")?.toast?.text).toBe(
      `投诉 ${numberOf(opened)} 已由 ${ownerName} 认领`,
    );
    const takes = (await bot.auditRows(numberOf(opened))).filter(
      (entry) => entry.action === "complaint.taken",
    );
    expect(takes).toHaveLength(1);
  });

  it("refuses clicks without the role, and clicks on a complaint of another chat", async () => {
    const opened = cardOf(await bot.say(clerk, "/投诉 华为 包装破损"));
    const refused = await bot.click(clerk, button(opened, "认领"));
    expect(refused).toMatchObject({ status: "refused", toast: { text: "需要角色: 客服、经理 或 管理员" } });
    const elsewhere = await bot.click(agent, button(opened, "认领"), { chatId: "oc_other" });
    expect(elsewhere.toast?.text).toBe(
      `投诉 ${numberOf(opened)} 不属于这个会话, 请在登记它的群里操作或使用命令`,
    );
    const otherPlatform = await bot.click(agent, button(opened, "解决"), { platform: "dingtalk" });
    expect(otherPlatform.status).toBe("refused");
    expect((await bot.row(numberOf(opened)))?.version).toBe(1);
    const unknown = await bot.click(agent, { action: "complaint.take", value: { id: "C-20990101-001" } });
    expect(unknown.toast?.text).toBe("找不到投诉 C-20990101-001");
  });
});

describe("numbers and audit", () => {
  it("20 complaints opened at once get 20 distinct numbers of the day", async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, index) => bot.say(clerk, `/投诉 客户${index} 内容`)),
    );
    const numbers = replies.map((reply) => numberOf(cardOf(reply))).sort();
    expect(numbers).toEqual(
      Array.from({ length: 20 }, (_, index) => `C-20260930-${String(index + 1).padStart(3, "0")}`),
    );
  });

  it("writes who, when, which message, and the old and new state", async () => {
    const number = await open();
    bot.clock.advance(MINUTE_MS);
    await bot.say(agent, `/回复 ${number} 收到`);
    const [opened, responded] = await bot.auditRows(number);
    expect(opened).toMatchObject({
      entityType: "complaint",
      action: "complaint.opened",
      actorPersonId: clerk.personId,
      platform: "lark",
      at: new Date("2026-09-30T02:00:00Z"),
      before: null,
      after: expect.objectContaining({
        status: "open",
        customer: "华为",
        resolutionDueAt: "2026-10-10T02:00:00.000Z",
        resolutionDueProvisional: false,
      }),
    });
    expect(opened?.platformMessageId).toMatch(/^msg_\d+$/);
    expect(responded).toMatchObject({
      action: "complaint.responded",
      actorPersonId: agent.personId,
      at: new Date("2026-09-30T02:01:00Z"),
      before: expect.objectContaining({ status: "open", respondedAt: null, ownerId: null, version: 1 }),
      after: expect.objectContaining({
        status: "responded",
        respondedAt: "2026-09-30T02:01:00.000Z",
        response: "收到",
        ownerId: agent.personId,
        version: 2,
      }),
    });
  });
});
