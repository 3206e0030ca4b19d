import { describe, expect, it } from "vitest";
import { tasks } from "../../src/db/schema/index.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage } from "../helpers/e2e-harness.ts";
import type { LarkMentionSpec } from "../helpers/lark-signer.ts";

// Thursday 2026-11-26 10:00 in Shanghai.
const t = useAreaTest({
  prefix: "task",
  start: new Date("2026-11-26T02:00:00Z"),
  larkChat: "oc_tasks",
  larkSender: "ou_boss",
});

const postLark = (text: string, name: string, mentions: LarkMentionSpec[] = []) =>
  t.postLark(text, { name, mentions });
const lastLark = () => t.lastLarkContent();

describe("/task on Lark", () => {
  it("creates a task for the mentioned owner, lists it as theirs, and marks it done", async () => {
    await postLark("/task new finish the quarterly plan @_user_1 2026-12-01", "new", [
      { key: "@_user_1", openId: "ou_wang", name: "Wang" },
    ]);
    expect(lastLark()).toContain("T-20261126-001");
    expect(lastLark()).toContain("finish the quarterly plan");
    const [task] = await t.database.db.select().from(tasks);
    const owner = await t.personIdOf("ou_wang");
    expect(task).toMatchObject({ dueDate: "2026-12-01", ownerId: owner, status: "open" });
    // The working day before Tuesday 12-01 is Monday 11-30, at 09:00.
    expect(task?.remindAt).toEqual(new Date("2026-11-30T01:00:00Z"));

    await postLark("/task list", "list");
    expect(lastLark()).toContain("T-20261126-001");

    await postLark("/task done T-20261126-001", "done");
    expect(lastLark()).toContain("Done by");
    const [done] = await t.database.db.select().from(tasks);
    expect(done?.status).toBe("done");
  });

  it("names the mistake and the usage: no @owner, a past date, an unknown task", async () => {
    await postLark("/task new fix the pump 2026-12-01", "no-owner");
    expect(lastLark()).toMatch(/the owner must be an @mention: pump — usage: \/task new/);
    await postLark("/task new fix the pump @ou_wang 2026-11-01", "past");
    expect(lastLark()).toMatch(
      /the due date 2026-11-01 is in the past \(today is 2026-11-26\) — usage: \/task new/,
    );
    await postLark("/task new fix the pump @ou_wang 2026-13-01", "bad-date");
    expect(lastLark()).toMatch(/due date/);
    await postLark("/task done T-20261126-999", "unknown");
    expect(lastLark()).toContain("no task T-20261126-999");
    expect(await t.database.db.select().from(tasks)).toEqual([]);
  });

  it("/rules lists every number of the procedure, grouped by stage", async () => {
    await postLark("/rules", "rules");
    const reply = lastLark();
    expect(reply).toContain("Customer service");
    expect(reply).toContain("Complaint resolved within: 3 working days");
    expect(reply).toContain("Warn when this share of a deadline has passed: 75 %");
  });
});

describe("/待办 on DingTalk", () => {
  it("creates a task for the @-mentioned colleague, in Chinese", async () => {
    const status = await sendDingTalkMessage(
      t.h,
      t.fakes,
      "/待办 新建 盘点原料 @李四 2026-12-03",
      t.messageId("ding"),
      {
        atUsers: [{ dingtalkId: "$:LWCP_v1:$lisi", staffId: "lisi" }],
      },
    );
    expect(status).toBe(200);
    const reply = JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body);
    expect(reply).toContain("待办 T-20261126-001");
    expect(reply).toContain("盘点原料");
    const owner = await t.personIdOf("lisi");
    const [task] = await t.database.db.select().from(tasks);
    expect(task?.ownerId).toBe(owner);
  });

  it("/规则 answers in Chinese", async () => {
    expect(await sendDingTalkMessage(t.h, t.fakes, "/规则", t.messageId("rules"))).toBe(200);
    expect(JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body)).toContain("投诉解决期限: 3 个工作日");
  });
});

describe("/task on WeCom", () => {
  it("takes @userid for the owner, as WeCom sends no mentions", async () => {
    expect(
      await sendWeComAppMessage(t.h, "/task new check the boiler @lisi 2026-12-03", t.messageId("1001")),
    ).toBe(200);
    expect(JSON.stringify(t.fakes.wecom.delivered.at(-1)?.body)).toContain("T-20261126-001");
    const owner = await t.personIdOf("lisi");
    const [task] = await t.database.db.select().from(tasks);
    expect(task?.ownerId).toBe(owner);
  });

  it("/rules answers through message/send: the whole list says first how to see one part, and a part fits", async () => {
    expect(await sendWeComAppMessage(t.h, "/rules", t.messageId("1002"))).toBe(200);
    expect(JSON.stringify(t.fakes.wecom.delivered.at(-1)?.body)).toContain(
      "One part only: /rules <preparation|core|orders|service|quality|alerts|reporting|improvement>",
    );
    expect(await sendWeComAppMessage(t.h, "/rules reporting", t.messageId("1003"))).toBe(200);
    const part = JSON.stringify(t.fakes.wecom.delivered.at(-1)?.body);
    expect(part).toContain("The morning digest goes out on working days at: 09:00");
    expect(part).not.toContain("…");
  });
});
