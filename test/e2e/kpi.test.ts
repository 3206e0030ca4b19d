// /kpi end to end: signed webhooks of Lark, DingTalk and WeCom → the KPI card computed from the fixture's rows.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
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
import { FIXTURE_NOW, insertKpiFixture, setAreaActive } from "../integration/kpi/kpi-fixture.ts";

type Json = Record<string, unknown>;

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
/** Platform message ids must differ across tests (the fakes remember them, as the platforms do). */
let testNumber = 0;
const messageId = (name: string) => `kpi_${name}_${testNumber}`;

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});
beforeEach(async () => {
  await truncateAll(database);
  await setAreaActive(database.db, "office", true);
  await insertKpiFixture(database.db);
  fakes.reset();
  testNumber++;
  // A minute before the fixture's "now"; every request moves the clock on by a second.
  h = createHarness({
    database,
    fakes,
    channels: ["lark", "dingtalk", "wecom"],
    start: new Date(FIXTURE_NOW.getTime() - 60_000),
  });
});

async function postLark(text: string, id: string): Promise<void> {
  const payload = larkMessageEvent({
    token: LARK.verificationToken,
    text,
    messageId: id,
    chatId: "oc_kpi",
    eventId: `ev_${id}`,
  });
  const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
  const { body, headers } = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp });
  expect((await h.send("/webhooks/lark", { method: "POST", body, headers })).status).toBe(200);
  await h.settle();
}

async function postDingTalk(text: string, id: string): Promise<void> {
  expect(await sendDingTalkMessage(h, fakes, text, id)).toBe(200);
}

async function postWeCom(text: string, id: string): Promise<void> {
  expect(await sendWeComAppMessage(h, text, id)).toBe(200);
}

/** Every string under `key` anywhere in a rendered card. */
function stringsAt(node: unknown, key: string): string[] {
  if (Array.isArray(node)) return node.flatMap((child) => stringsAt(child, key));
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node as Json).flatMap(([name, value]) =>
    name === key && typeof value === "string" ? [value] : stringsAt(value, key),
  );
}

/** The one Lark reply: its message type and the card (or text) it carried. */
function larkReply(): { msgType: string; content: Json } {
  expect(fakes.lark.delivered).toHaveLength(1);
  const body = fakes.lark.delivered[0]?.body as { msg_type: string; content: string };
  return { msgType: body.msg_type, content: JSON.parse(body.content) as Json };
}

describe("/kpi on Lark", () => {
  it("answers /kpi with today's card in English, every number from the database", async () => {
    await postLark("/kpi", `om_${messageId("today")}`);
    const { msgType, content } = larkReply();
    expect(msgType).toBe("interactive");
    expect(stringsAt(content, "content")).toEqual(
      expect.arrayContaining([
        "KPIs · today (2026-11-26)",
        expect.stringContaining(
          ["On-time completion: 50% (1/2, 1 not yet due)", "Overdue now: 2", "Delayed > 5 days: 3"].join(
            "\n",
          ),
        ),
        expect.stringContaining("CSAT: 50% (1/2) ⚠ below the 85% target"),
        expect.stringContaining("Done / due: 2/2 (100%)"),
      ]),
    );
  });

  it("answers /指标 本月 with November's card in Chinese", async () => {
    await postLark("/指标 本月", `om_${messageId("month")}`);
    const { content } = larkReply();
    expect(stringsAt(content, "content")).toEqual(
      expect.arrayContaining([
        "指标 · 本月 (2026-11-01 – 2026-11-30)",
        expect.stringContaining("按期完成率: 33.3% (4/12, 2 未到期)"),
        expect.stringContaining("解决及时率: 57.1% (4/7, 1 未到期)"),
        expect.stringContaining("客户满意度: 60% (3/5) ⚠ 低于目标 85%"),
      ]),
    );
  });

  it("answers an unknown window with the mistake and the usage, in the command's language", async () => {
    await postLark("/kpi year", `om_${messageId("bad")}`);
    const english = JSON.stringify(larkReply().content);
    expect(english).toContain("year");
    expect(english).toContain("/kpi");
    fakes.reset();
    await postLark("/日报 明年", `om_${messageId("bad_zh")}`);
    const chinese = JSON.stringify(larkReply().content);
    expect(chinese).toContain("明年");
    expect(chinese).toContain("用法");
  });
});

describe("/kpi on DingTalk", () => {
  it("answers /日报 本周 with the week's card as markdown through the sessionWebhook", async () => {
    await postDingTalk("/日报 本周", messageId("week"));
    expect(fakes.dingtalk.delivered).toHaveLength(1);
    const body = fakes.dingtalk.delivered[0]?.body as {
      msgtype: string;
      markdown: { title: string; text: string };
    };
    expect(body.msgtype).toBe("markdown");
    expect(body.markdown.title).toBe("指标 · 本周 (2026-11-23 – 2026-11-29)");
    for (const line of [
      "按期完成率: 33.3% (2/6, 2 未到期)",
      "首次响应及时率: 33.3% (2/6, 2 未到期)",
      "解决及时率: 50% (2/4)",
      "客户满意度: 66.7% (2/3) ⚠ 低于目标 85%",
      "已检/应检: 3/8 (37.5%)",
    ]) {
      expect(body.markdown.text).toContain(line);
    }
  });
});

describe("/kpi on WeCom", () => {
  it("answers /kpi week in English and /指标 in Chinese through message/send", async () => {
    await postWeCom("/kpi week", messageId("1001"));
    await postWeCom("/指标", messageId("1002"));
    expect(fakes.wecom.delivered).toHaveLength(2);
    const [english, chinese] = fakes.wecom.delivered.map(
      (delivery) => (delivery.body as { markdown: { content: string } }).markdown.content,
    );
    expect(english).toContain("KPIs · this week (2026-11-23 – 2026-11-29)");
    expect(english).toContain("Resolved on time: 50% (2/4)");
    expect(chinese).toContain("指标 · 今天 (2026-11-26)");
    expect(chinese).toContain("解决及时率: 0% (0/1)");
  });
});
