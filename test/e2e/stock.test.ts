// /stock end to end through the signed webhooks of Lark, DingTalk and WeCom: declare, receive, issue, count, read,
// the safety stock's alert to the alert group, and refusals that change nothing.

import { describe, expect, it } from "vitest";
import { alertNotice } from "../../commands/alerts/cards.ts";
import { stockItems, stockMovements } from "../../src/db/schema/index.ts";
import { sweepOverdue } from "../../src/domain/alerts/sweep.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage } from "../helpers/e2e-harness.ts";

// Wednesday 2026-11-25 10:00 in Shanghai, a working day.
const t = useAreaTest({
  prefix: "stock",
  start: new Date("2026-11-25T02:00:00Z"),
  larkChat: "oc_store",
  larkSender: "ou_keeper",
});

/** Posts on Lark and returns the reply's content. */
async function postLark(text: string, name: string, sender?: string): Promise<string> {
  await t.postLark(text, { name, sender });
  return t.lastLarkContent();
}

describe("/stock on Lark", () => {
  it("declares, receives and issues exact decimals, tells the alert group once with what to order", async () => {
    await t.withRole("lark", "ou_keeper", "warehouse");
    await t.subscribeLarkAlerts("oc_alerts");

    expect(await postLark("/stock item pvc-01 PVC-pellets 12.5 kg", "item")).toContain("37.5 kg");
    expect(await postLark("/stock in PVC-01 40.25", "in")).toContain("40.25 kg");
    const fell = await postLark("/stock out PVC-01 3.3", "out");
    expect(fell).toContain("Now below its safety stock");
    expect(fell).toContain("0.55 kg");
    expect(fell).toContain("declared");

    const swept = await sweepOverdue(
      { db: t.database.db, outbox: t.h.services.outbox, timezone: "Asia/Shanghai", draw: alertNotice },
      t.h.clock.now(),
    );
    await swept.sending;
    const alerted = t.fakes.lark.delivered.filter((delivery) =>
      (delivery.body as { uuid?: string }).uuid?.startsWith("alert:stock:"),
    );
    // Missed inspections are alerted too at this hour: only the stock alert matters here.
    expect(alerted).toHaveLength(1);
    expect(alerted.map((delivery) => (delivery.body as { receive_id: string }).receive_id)).toEqual([
      "oc_alerts",
    ]);
    expect(JSON.stringify(alerted[0]?.body)).toContain("0.55 kg");

    const [item] = await t.database.db.select().from(stockItems);
    expect(item?.onHand).toBe("36.950");
    const listed = await postLark("/stock low", "low");
    // Lark's markdown shows the escaped "36&#46;95" as 36.95.
    expect(listed).toContain("- PVC-01 PVC-pellets: 36&#46;95 kg · safety 37&#46;5 kg");
    expect(listed).toContain("⚠ order 0.55 kg");

    // A refusal names the mistake and the usage, and changes nothing.
    const refused = await postLark("/stock out PVC-01 1.2345", "bad");
    expect(refused).toContain("qty must be a positive number with at most 3 decimals: 1.2345");
    expect(await postLark("/stock out PVC-01 99", "much")).toContain("only 36.95 kg of PVC-01 on hand");
    expect(await t.database.db.select().from(stockMovements)).toHaveLength(2);

    // Anyone reads stock; only the warehouse and managers record it.
    expect(await postLark("/stock", "read", "ou_visitor")).toContain("PVC-01");
    expect(await postLark("/stock set PVC-01 0", "denied", "ou_visitor")).toMatch(/needs role/);
  });
});

describe("/库存 on DingTalk", () => {
  it("records a count in Chinese through the session webhook", async () => {
    await t.withRole("dingtalk", "manager4511", "manager");
    expect(await sendDingTalkMessage(t.h, t.fakes, "/库存 物料 A1 螺丝 100 个", t.messageId("item"))).toBe(
      200,
    );
    expect(await sendDingTalkMessage(t.h, t.fakes, "/库存 盘点 A1 250", t.messageId("set"))).toBe(200);
    const reply = JSON.stringify(t.fakes.dingtalk.delivered.at(-1)?.body);
    expect(reply).toContain("250 个");
    expect(reply).toContain("安全库存 (3 天用量)");
    expect(reply).toContain("300 个");
  });
});

describe("/stock on WeCom", () => {
  it("lists the materials through message/send", async () => {
    await t.withRole("wecom", "zhangsan", "warehouse");
    expect(await sendWeComAppMessage(t.h, "/stock item B2 box 10", t.messageId("item"))).toBe(200);
    expect(await sendWeComAppMessage(t.h, "/stock in B2 31", t.messageId("in"))).toBe(200);
    expect(await sendWeComAppMessage(t.h, "/stock", t.messageId("list"))).toBe(200);
    const reply = JSON.stringify(t.fakes.wecom.delivered.at(-1)?.body);
    expect(reply).toContain("B2 box: 31 · safety 30 · ");
    expect(reply).toContain("3.1 days · daily 10 (declared)");
  });
});
