// /equipment end to end through the signed webhooks of Lark, DingTalk and WeCom: add with an owner, the service
// task a week ahead, record a service, list what is due, and refusals that change nothing.
import { describe, expect, it } from "vitest";
import { equipment, tasks } from "../../src/db/schema/index.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage } from "../helpers/e2e-harness.ts";

// Wednesday 2026-11-25 10:00 in Shanghai, a working day.
const t = useAreaTest({
  prefix: "equipment",
  start: new Date("2026-11-25T02:00:00Z"),
  larkChat: "oc_floor",
  larkSender: "ou_visitor",
});

describe("/设备 on DingTalk", () => {
  it("adds equipment due within a week: its service task is created at once; a service done moves it on", async () => {
    await t.withRole("dingtalk", "manager4511", "manager");
    expect(
      await sendDingTalkMessage(t.h, t.fakes, "/设备 新增 CNC-1 数控机床 30 2026-11-01", t.messageId("add")),
    ).toBe(200);
    const [task] = await t.database.db.select().from(tasks);
    expect(task).toMatchObject({ dueDate: "2026-12-01", sourceId: "CNC-1:2026-12-01" });
    const added = JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body);
    expect(added).toContain("2026-12-01 (6 天后)");
    expect(added).toContain("**待办**");

    expect(await sendDingTalkMessage(t.h, t.fakes, "/设备 完成 cnc-1", t.messageId("done"))).toBe(200);
    expect(JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body)).toContain("2026-12-25 (30 天后)");
    // The service done is the one its task asked for: the task is done too.
    const [done] = await t.database.db.select().from(tasks);
    expect(done).toMatchObject({ id: task?.id, status: "done" });
  });
});

describe("/equipment on WeCom", () => {
  it("refuses a duplicate and lists what is due", async () => {
    await t.withRole("wecom", "zhangsan", "manager");
    expect(
      await sendWeComAppMessage(t.h, "/equipment add PRESS-2 press 7 2026-11-10", t.messageId("add")),
    ).toBe(200);
    expect(
      await sendWeComAppMessage(t.h, "/equipment add press-2 press 7 2026-11-10", t.messageId("dup")),
    ).toBe(200);
    expect(JSON.stringify(t.fakes.wecom.delivered.at(-1)?.body)).toContain(
      "equipment PRESS-2 already exists",
    );
    expect(await t.database.db.select().from(equipment)).toHaveLength(1);
    expect(await sendWeComAppMessage(t.h, "/equipment due", t.messageId("due"))).toBe(200);
    expect(JSON.stringify(t.fakes.wecom.delivered.at(-1)?.body)).toContain("days overdue");
  });
});

describe("/equipment on Lark", () => {
  it("lets anyone read and refuses /equipment add to someone without the manager role", async () => {
    const post = async (text: string, name: string) => {
      await t.postLark(text, { name });
      return t.lastLark();
    };
    expect(await post("/equipment", "list")).toContain("No equipment yet");
    expect(await post("/equipment add CNC-1 lathe 30 2026-11-01", "add")).toMatch(/needs role/);
    expect(await t.database.db.select().from(equipment)).toHaveLength(0);
  });
});
