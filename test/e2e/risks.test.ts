// /risk end to end through the signed webhooks of Lark, DingTalk and WeCom: raise, plan with an owner (a task),
// the matrix and the highest risks, close (its task done with it), audit, and refusals that change nothing.
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, risks, tasks } from "../../src/db/schema/index.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage } from "../helpers/e2e-harness.ts";

// Thursday 2026-11-26 10:00 in Shanghai, a working day.
const t = useAreaTest({
  prefix: "risk",
  start: new Date("2026-11-26T02:00:00Z"),
  larkChat: "oc_risks",
  larkSender: "ou_manager",
});

const LI = { key: "@_user_1", openId: "ou_li", name: "Li Lei" };

/** Posts on Lark (as the manager unless told) and returns the reply's content. */
async function postLark(text: string, name: string, sender?: string): Promise<string> {
  await t.postLark(text, { name, sender, mentions: text.includes(LI.key) ? [LI] : [] });
  return t.lastLarkContent();
}

const auditOf = (entityType: string) =>
  t.database.db.select().from(auditLog).where(eq(auditLog.entityType, entityType)).orderBy(asc(auditLog.id));

describe("/risk on Lark", () => {
  it("raises a high risk, plans it with an owner (a task), shows it in the matrix, closes it with its task", async () => {
    await t.withRole("lark", "ou_manager", "manager");
    const raised = await postLark("/risk new 4 5 main supplier may stop production", "new");
    expect(raised).toContain("R-20261126-001");
    expect(raised).toContain("20 (4 × 5) ⚠ high");
    expect(raised).toContain("needs a plan with an owner: /risk plan R-20261126-001");

    const planned = await postLark(
      "/risk plan r-20261126-001 qualify a second supplier @_user_1 2026-12-10",
      "plan",
    );
    expect(planned).toContain("qualify a second supplier");
    expect(planned).toContain("T-20261126-001 → Li Lei");
    const owner = await t.personIdOf("ou_li");
    const [task] = await t.database.db.select().from(tasks);
    expect(task).toMatchObject({
      ownerId: owner,
      dueDate: "2026-12-10",
      status: "open",
      sourceType: "risk",
      sourceId: "R-20261126-001",
      title: "R-20261126-001 qualify a second supplier",
    });

    await postLark("/risk new 2 3 forklift battery ageing", "low");
    const listed = await postLark("/risk list", "list");
    expect(listed).toContain("L 5 ｜ · ｜ · ｜ · ｜ · ｜ ·");
    expect(listed).toContain("L 4 ｜ · ｜ · ｜ · ｜ · ｜ **1**");
    expect(listed).toContain("L 2 ｜ · ｜ · ｜ 1 ｜ · ｜ ·");
    expect(listed).toContain("I → ｜ 1 ｜ 2 ｜ 3 ｜ 4 ｜ 5");
    // Highest score first, with its plan and owner.
    expect(listed.indexOf("R-20261126-001")).toBeLessThan(listed.indexOf("R-20261126-002"));
    expect(listed).toContain("qualify a second supplier · @Li Lei · due 2026-12-10");

    const closed = await postLark("/risk close R-20261126-001", "close");
    expect(closed).toContain("(closed)");
    expect(closed).toContain("T-20261126-001");
    const [done] = await t.database.db.select().from(tasks);
    expect(done?.status).toBe("done");
    const [risk] = await t.database.db.select().from(risks).where(eq(risks.number, "R-20261126-001"));
    expect(risk).toMatchObject({ status: "closed", score: 20 });
    expect((await auditOf("risk")).map((row) => [row.entityId, row.action])).toEqual([
      ["R-20261126-001", "risk.raised"],
      ["R-20261126-001", "risk.planned"],
      ["R-20261126-002", "risk.raised"],
      ["R-20261126-001", "risk.closed"],
    ]);
    expect((await auditOf("task")).map((row) => row.action)).toEqual([
      "task.created",
      "task.closed_with_risk",
    ]);
  });

  it("names the mistake and the usage, and changes nothing; staff may read but not raise", async () => {
    await t.withRole("lark", "ou_manager", "manager");
    expect(await postLark("/risk new 6 5 flood", "scale")).toMatch(/likelihood.*1.*5.*usage: \/risk new/s);
    expect(await postLark("/risk new 4 5", "no-text")).toContain(
      "usage: /risk new <likelihood> <impact> <text…>",
    );
    expect(await postLark("/risk new four 5 flood", "word")).toMatch(/usage: \/risk new/);
    expect(await postLark("/risk plan R-20261126-009 buy pumps", "unknown")).toContain(
      "no risk R-20261126-009 — usage: /risk plan <risk-no> <text…> [@owner] [YYYY-MM-DD]",
    );
    expect(await postLark("/risk plan R-20261126-009 buy pumps 2026-13-40", "date")).toMatch(
      /the due date is not a valid date: 2026-13-40 — usage: \/risk plan/,
    );
    expect(await postLark("/risk close R-1", "bad-number")).toMatch(/R-20261126-001/);
    expect(await t.database.db.select().from(risks)).toEqual([]);

    await t.withRole("lark", "ou_staff", "staff");
    expect(await postLark("/risk new 4 5 flood", "denied", "ou_staff")).toMatch(
      /you may not use \/risk new — needs role/,
    );
    expect(await postLark("/risk", "read", "ou_staff")).toContain("No open risks.");
    expect(await t.database.db.select().from(risks)).toEqual([]);
  });

  it("lets the plan's owner re-plan but nobody else who is not a manager", async () => {
    await t.withRole("lark", "ou_manager", "manager");
    await postLark("/risk new 5 3 the boiler may fail", "new");
    await postLark("/risk plan R-20261126-001 replace the valve @_user_1", "plan");
    // Without a date the task is due 5 working days later: Thursday 11-26 → Thursday 12-03.
    const [first] = await t.database.db.select().from(tasks);
    expect(first?.dueDate).toBe("2026-12-03");

    expect(await postLark("/risk plan R-20261126-001 ignore it", "stranger", "ou_stranger")).toContain(
      "only a manager, an admin or the plan's owner may plan R-20261126-001",
    );
    const replanned = await postLark("/risk plan R-20261126-001 replace the whole boiler", "owner", "ou_li");
    expect(replanned).toContain("replace the whole boiler");
    const [risk] = await t.database.db.select().from(risks);
    expect(risk?.plan).toBe("replace the whole boiler");
    // Without @owner the owner and the task stay.
    expect(await t.database.db.select().from(tasks)).toHaveLength(1);
  });
});

describe("/风险 on DingTalk", () => {
  it("raises and plans a risk in Chinese, the @-mentioned colleague gets the task", async () => {
    await t.withRole("dingtalk", "manager4511", "manager");
    expect(await sendDingTalkMessage(t.h, t.fakes, "/风险 新建 3 5 仓库屋顶漏水", t.messageId("new"))).toBe(
      200,
    );
    const raised = JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body);
    expect(raised).toContain("R-20261126-001");
    expect(raised).toContain("15 (3 × 5) ⚠ 高");
    const status = await sendDingTalkMessage(
      t.h,
      t.fakes,
      "/风险 计划 R-20261126-001 修补屋顶 @李四 2026-12-04",
      t.messageId("plan"),
      { atUsers: [{ dingtalkId: "$:LWCP_v1:$lisi", staffId: "lisi" }] },
    );
    expect(status).toBe(200);
    expect(JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body)).toContain("T-20261126-001");
    const owner = await t.personIdOf("lisi");
    const [task] = await t.database.db.select().from(tasks);
    expect(task).toMatchObject({
      ownerId: owner,
      dueDate: "2026-12-04",
      title: "R-20261126-001 修补屋顶",
    });
    expect(await sendDingTalkMessage(t.h, t.fakes, "/风险 关闭 R-20261126-001", t.messageId("close"))).toBe(
      200,
    );
    expect(JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body)).toContain("已关闭");
  });
});

describe("/risk on WeCom", () => {
  it("takes @userid for the plan owner and shows the matrix through message/send", async () => {
    await t.withRole("wecom", "zhangsan", "admin");
    expect(
      await sendWeComAppMessage(t.h, "/risk new 5 4 single press for all orders", t.messageId("new")),
    ).toBe(200);
    expect(
      await sendWeComAppMessage(
        t.h,
        "/risk plan R-20261126-001 lease a second press @lisi",
        t.messageId("plan"),
      ),
    ).toBe(200);
    const owner = await t.personIdOf("lisi");
    const [task] = await t.database.db.select().from(tasks);
    expect(task?.ownerId).toBe(owner);
    expect(await sendWeComAppMessage(t.h, "/risk", t.messageId("list"))).toBe(200);
    const listed = JSON.stringify(t.fakes.wecom.delivered.at(-1)?.body);
    expect(listed).toContain("L 5 ｜ · ｜ · ｜ · ｜ **1** ｜ ·");
    expect(listed).toContain("lease a second press · @lisi");
  });
});
