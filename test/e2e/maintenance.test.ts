// /equipment end to end through the signed webhooks of Lark, DingTalk and WeCom: add with an owner, the service
// task a week ahead, record a service, list what is due, and refusals that change nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { equipment, tasks } from "../../src/db/schema/index.ts";
import { grantRole, personForContact } from "../../src/domain/people/people.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import {
  createHarness,
  type Fakes,
  type Harness,
  LARK,
  sendDingTalkMessage,
  sendWeComAppMessage,
  startFakes,
} from "../helpers/e2e-harness.ts";
import { larkMessageEvent, signLarkRequest } from "../helpers/lark-signer.ts";

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
let testNumber = 0;
const messageId = (name: string) => `equipment_${name}_${testNumber}`;
// Wednesday 2026-11-25 10:00 in Shanghai, a working day.
const START = new Date("2026-11-25T02:00:00Z");

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});
beforeEach(async () => {
  await truncateAll(database);
  fakes.reset();
  testNumber++;
  h = createHarness({ database, fakes, channels: ["lark", "dingtalk", "wecom"], start: START });
});

async function manager(platform: "dingtalk" | "wecom", userId: string): Promise<void> {
  const now = h.clock.now();
  const { personId } = await personForContact(database.db, {
    platform,
    userId,
    name: userId,
    bootstrapAdmin: false,
    now,
  });
  await grantRole(database.db, { personId, role: "manager", by: null, now });
}

describe("/设备 on DingTalk", () => {
  it("adds equipment due within a week: its service task is created at once; a service done moves it on", async () => {
    await manager("dingtalk", "manager4511");
    expect(
      await sendDingTalkMessage(h, fakes, "/设备 新增 CNC-1 数控机床 30 2026-11-01", messageId("add")),
    ).toBe(200);
    const [task] = await database.db.select().from(tasks);
    expect(task).toMatchObject({ dueDate: "2026-12-01", sourceId: "CNC-1:2026-12-01" });
    const added = JSON.stringify(fakes.dingtalk.delivered.at(-1)?.body);
    expect(added).toContain("2026-12-01 (6 天后)");
    expect(added).toContain("**待办**");

    expect(await sendDingTalkMessage(h, fakes, "/设备 完成 cnc-1", messageId("done"))).toBe(200);
    expect(JSON.stringify(fakes.dingtalk.delivered.at(-1)?.body)).toContain("2026-12-25 (30 天后)");
  });
});

describe("/equipment on WeCom", () => {
  it("refuses a duplicate and lists what is due", async () => {
    await manager("wecom", "zhangsan");
    expect(await sendWeComAppMessage(h, "/equipment add PRESS-2 press 7 2026-11-10", messageId("add"))).toBe(
      200,
    );
    expect(await sendWeComAppMessage(h, "/equipment add press-2 press 7 2026-11-10", messageId("dup"))).toBe(
      200,
    );
    expect(JSON.stringify(fakes.wecom.delivered.at(-1)?.body)).toContain("equipment PRESS-2 already exists");
    expect(await database.db.select().from(equipment)).toHaveLength(1);
    expect(await sendWeComAppMessage(h, "/equipment due", messageId("due"))).toBe(200);
    expect(JSON.stringify(fakes.wecom.delivered.at(-1)?.body)).toContain("days overdue");
  });
});

describe("/equipment on Lark", () => {
  it("lets anyone read and refuses /equipment add to someone without the manager role", async () => {
    const post = async (text: string, name: string) => {
      const id = `om_${messageId(name)}`;
      const payload = larkMessageEvent({
        token: LARK.verificationToken,
        text,
        messageId: id,
        chatId: "oc_floor",
        eventId: `ev_${id}`,
        senderOpenId: "ou_visitor",
      });
      const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
      const { body, headers } = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp });
      expect((await h.send("/webhooks/lark", { method: "POST", body, headers })).status).toBe(200);
      await h.settle();
      return JSON.stringify(fakes.lark.delivered.at(-1)?.body);
    };
    expect(await post("/equipment", "list")).toContain("No equipment yet");
    expect(await post("/equipment add CNC-1 lathe 30 2026-11-01", "add")).toMatch(/needs role/);
    expect(await database.db.select().from(equipment)).toHaveLength(0);
  });
});
