// A group's digest speaks the language it subscribed in: /subscribe in English gets the English digest and
// /订阅 the Chinese one, through the signed webhooks of Lark, DingTalk and the WeCom app.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "../../src/db/schema/index.ts";
import { kpiDigestJob } from "../../src/jobs/kpi-digest.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage } from "../helpers/e2e-harness.ts";

// Wednesday 2026-11-25 08:00 in Shanghai, a working day.
const START = new Date("2026-11-25T00:00:00Z");
const NINE = new Date("2026-11-25T01:00:00Z");

const area = useAreaTest({
  prefix: "digestlang",
  start: START,
  larkChat: "oc_digest",
  larkSender: "ou_boss",
});

const runDigest = () => kpiDigestJob.run(area.h.services.jobContext(NINE));

describe("the digest's language", () => {
  it("Lark: a group subscribed with /subscribe gets it in English, one subscribed with /订阅 in Chinese", async () => {
    await area.withRole("lark", "ou_boss", "manager");
    await area.postLark("/subscribe digest 09:00");
    await area.postLark("/订阅 日报 09:00", { chatId: "oc_digest_zh" });
    await runDigest();
    const digests = area.fakes.lark.delivered
      .map((call) => call.body as { receive_id: string; content: string })
      .filter((body) => body.content.includes("2026-11-25"));
    const english = digests.find((body) => body.receive_id === "oc_digest");
    const chinese = digests.find((body) => body.receive_id === "oc_digest_zh");
    expect(english?.content).toContain("Daily operations digest");
    expect(english?.content).not.toContain("每日运营日报");
    expect(chinese?.content).toContain("每日运营日报");
  });

  it("Lark: subscribing again in the other language switches it, and the change is audited", async () => {
    await area.withRole("lark", "ou_boss", "manager");
    // Its own chat: the fake Lark, like Lark, drops a second send with the same key within the hour.
    await area.postLark("/订阅 日报 09:00", { chatId: "oc_digest_switch" });
    await area.postLark("/subscribe digest 09:00", { chatId: "oc_digest_switch" });
    expect(area.lastLark()).toContain("Updated the digest subscription");
    const [audited] = await area.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "subscription.updated"));
    expect(audited).toMatchObject({ before: { language: "zh" }, after: { language: "en" } });
    await runDigest();
    expect(area.lastLark()).toContain("Daily operations digest");
  });

  it("DingTalk: /subscribe digest gets the English digest", async () => {
    await area.withRole("dingtalk", "manager4511", "manager");
    expect(
      await sendDingTalkMessage(area.h, area.fakes, "/subscribe digest", area.messageId("sub"), {
        senderStaffId: "manager4511",
      }),
    ).toBe(200);
    await runDigest();
    const last = JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body);
    expect(last).toContain("Daily operations digest");
  });

  it("WeCom app: /subscribe digest in a direct chat gets the English digest", async () => {
    await area.withRole("wecom", "zhangsan", "manager");
    expect(await sendWeComAppMessage(area.h, "/subscribe digest", area.messageId("sub"))).toBe(200);
    await runDigest();
    const last = JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body);
    expect(last).toContain("Daily operations digest");
  });
});
