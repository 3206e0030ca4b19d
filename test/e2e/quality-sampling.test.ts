// Quality sampling end to end through the signed webhooks of Lark, DingTalk, the WeCom app and the WeCom robot:
// a lot's required sample (⌈5 %⌉, at least 1, in whole numbers), results that add up, release refused until the
// sample is met, the 2 % defect limit (exactly 2 % passes), the finding alerted through the alert ladder, the
// metrics in /kpi and as targets, and refusals that name the mistake and change nothing.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts, auditLog, lotSamples, lots } from "../../src/db/schema/index.ts";
import { completeOrder, confirmOrder, draftOrder } from "../../src/domain/orders/index.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage, sendWeComBotMessage } from "../helpers/e2e-harness.ts";

const TIMEZONE = "Asia/Shanghai";
const area = useAreaTest({
  prefix: "quality",
  // Thursday 2026-11-26 10:00 in Shanghai, a working day.
  start: new Date("2026-11-26T02:00:00Z"),
  larkChat: "oc_floor",
  larkSender: "ou_inspector",
  channels: ["lark", "dingtalk", "wecom", "wecomBot"],
});

/** A confirmed order of `quantity`, taken by a fixture person. */
async function confirmedOrder(quantity = 1_000_000): Promise<string> {
  const personId = await area.withRole("lark", "ou_sales", "staff");
  const actor = {
    personId,
    name: "sales",
    roles: [] as Role[],
    at: area.h.clock.now(),
    platform: "lark" as const,
    platformMessageId: area.messageId(`order_${quantity}`),
    chatId: "oc_floor",
  };
  const input = { customer: "ACME", model: "M8", quantity, dueDate: "2026-12-20" };
  const { order } = await draftOrder(area.database.db, input, actor, TIMEZONE);
  await confirmOrder(area.database.db, { number: order.number, actor, timezone: TIMEZONE });
  return order.number;
}

const lotRows = () => area.database.db.select().from(lots).orderBy(lots.id);

/** The outbox rows of quality alerts that went out (Lark's uuid is a digest of such long keys). */
const qualityAlertsSent = async () =>
  (await area.h.outboxRows()).filter(
    (row) => row.idempotencyKey.startsWith("alert:quality:") && row.status === "sent",
  );

describe("/lot new on Lark", () => {
  it("asks for ⌈5 %⌉ of the lot, at least 1, counted in whole numbers", async () => {
    const order = await confirmedOrder();
    const cases: [number, number][] = [
      [1, 1],
      [19, 1],
      [20, 1],
      [21, 2],
      [1_000_000, 50_000],
    ];
    for (const [size, sample] of cases) {
      await area.postLark(`/lot new ${order} ${size}`, { name: `lot${size}` });
      expect(area.lastLark()).toContain(`sample ${sample}`);
    }
    expect((await lotRows()).map((lot) => [lot.number, lot.size, lot.requiredSample])).toEqual([
      ["L-20261126-001", 1, 1],
      ["L-20261126-002", 19, 1],
      ["L-20261126-003", 20, 1],
      ["L-20261126-004", 21, 2],
      ["L-20261126-005", 1_000_000, 50_000],
    ]);
    const created = await area.database.db.select().from(auditLog).where(eq(auditLog.action, "lot.created"));
    expect(created).toHaveLength(5);

    // Bad input names the mistake and the usage, and declares nothing.
    await area.postLark(`/lot new ${order} 0`, { name: "zero" });
    expect(area.lastLark()).toMatch(
      /lot-size must be a positive integer: 0 — usage: \/lot new <order-no> <lot-size>/,
    );
    await area.postLark("/lot new O-20990101-001 10", { name: "unknown" });
    expect(area.lastLark()).toContain("there is no order O-20990101-001");
    expect(await lotRows()).toHaveLength(5);
  });
});

describe("/qc and /lot release on Lark", () => {
  it("adds results up, refuses release naming the shortfall, releases at exactly 2 % defects", async () => {
    await area.withRole("lark", "ou_inspector", "qa");
    const order = await confirmedOrder();
    await area.postLark(`/lot new ${order} 1000`, { name: "lot" });
    expect(area.lastLark()).toContain("sample 50");

    await area.postLark("/qc L-20261126-001 12 0 first carton", { name: "qc1" });
    await area.postLark("/lot release L-20261126-001", { name: "early" });
    expect(area.lastLark()).toContain("sampled 12 of the required 50: 38 to go");
    expect((await lotRows())[0]?.status).toBe("open");

    // Refusals that correct the input name it and the usage, and record nothing.
    await area.postLark("/qc L-20261126-001 5 6", { name: "more" });
    expect(area.lastLark()).toContain("defects (6) cannot be more than sampled (5)");
    expect(area.lastLark()).toContain("usage: /qc <lot-no> <sampled> <defects> [note…]");
    await area.postLark("/qc L-20261126-001 989 0", { name: "over" });
    expect(area.lastLark()).toContain("989 more is too many");
    await area.postLark("/qc L-20261126-001 5 x", { name: "letters" });
    expect(area.lastLark()).toContain("usage: /qc <lot-no> <sampled> <defects> [note…]");
    expect(await area.database.db.select().from(lotSamples)).toHaveLength(1);

    // 1 defect in 50 is exactly 2 %: not above the limit.
    await area.postLark("/qc l-20261126-001 38 1", { name: "qc2" });
    expect((await lotRows())[0]).toMatchObject({ sampled: 50, defects: 1, status: "open" });
    expect(area.lastLark()).toContain("2%");
    await area.postLark("/lot release L-20261126-001", { name: "release" });
    expect(area.lastLark()).toContain("released");
    expect((await lotRows())[0]?.status).toBe("released");
    const actions = await area.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityType, "lot"));
    expect(actions.map((row) => row.action)).toEqual([
      "lot.created",
      "lot.sampled",
      "lot.sampled",
      "lot.released",
    ]);

    // Only QA samples and releases.
    await area.postLark("/qc L-20261126-001 1 0", { name: "denied", sender: "ou_sales" });
    expect(area.lastLark()).toMatch(/needs role/);
  });

  it("rejects a lot over 2 % once its sample is met, alerts the finding once, and never releases it", async () => {
    await area.withRole("lark", "ou_inspector", "qa");
    await area.subscribeLarkAlerts("oc_quality_alerts");
    const order = await confirmedOrder();
    // 1,980 units need a sample of 99; 2,000 need 100.
    await area.postLark(`/lot new ${order} 1980`, { name: "lot99" });
    await area.postLark(`/lot new ${order} 2000`, { name: "lot100" });

    // Defects before the sample is met are not judged yet.
    await area.postLark("/qc L-20261126-001 10 2", { name: "early" });
    expect((await lotRows())[0]?.status).toBe("open");
    // 2 defects in 99 is 2.02 %: rejected.
    await area.postLark("/qc L-20261126-001 89 0", { name: "met" });
    expect(area.lastLark()).toContain("rejected: the alert groups are told");
    // 2 in 100 is exactly 2 %: it passes.
    await area.postLark("/qc L-20261126-002 100 2", { name: "boundary" });
    expect((await lotRows()).map((lot) => lot.status)).toEqual(["rejected", "open"]);

    await area.postLark("/lot release L-20261126-001", { name: "release" });
    expect(area.lastLark()).toContain("is rejected (defects over 2%)");
    await area.postLark("/qc L-20261126-001 50 0", { name: "dilute" });
    expect(area.lastLark()).toContain("is rejected");
    expect((await lotRows())[0]).toMatchObject({ sampled: 99, defects: 2, status: "rejected" });

    await area.sweep();
    await area.sweep();
    const sent = await qualityAlertsSent();
    expect(sent.map((row) => row.idempotencyKey)).toEqual([
      "alert:quality:L-20261126-001:finding:0:lark:oc_quality_alerts",
    ]);
    // Missed inspections are alerted too at this hour: only the lot's finding matters here.
    const delivered = JSON.stringify(
      area.fakes.lark.delivered.find((delivery) => JSON.stringify(delivery.body).includes("defect limit"))
        ?.body,
    );
    expect(delivered).toContain("oc_quality_alerts");
    expect(delivered).toContain("Lot over the defect limit");
    expect(delivered).toContain("2 / 99 (2.02%)");
    const [alert] = await area.database.db.select().from(alerts).where(eq(alerts.kind, "quality"));
    expect(alert).toMatchObject({ entity: "L-20261126-001", level: "finding", closedAt: null });
  });

  it("shows sampling coverage and lot pass rate in /kpi, and takes them as targets", async () => {
    await area.withRole("lark", "ou_inspector", "qa");
    const manager = await area.withRole("lark", "ou_boss", "manager");
    const order = await confirmedOrder();
    const shipped = await confirmedOrder(500);
    await area.postLark(`/lot new ${order} 100`, { name: "a" });
    await area.postLark(`/lot new ${order} 100`, { name: "b" });
    await area.postLark(`/lot new ${shipped} 100`, { name: "c" });
    await area.postLark("/qc L-20261126-001 5 0", { name: "qa" });
    await area.postLark("/lot release L-20261126-001", { name: "ra" });
    await area.postLark("/qc L-20261126-002 5 1", { name: "qb" });
    // The third lot's order is completed (its goods leave) before its sample was met.
    await area.postLark("/qc L-20261126-003 2 0", { name: "qc" });
    await completeOrder(area.database.db, {
      number: shipped,
      actor: {
        personId: manager,
        name: "boss",
        roles: ["manager"],
        at: area.h.clock.now(),
        platform: "lark",
        platformMessageId: area.messageId("complete"),
      },
      timezone: TIMEZONE,
    });

    await area.postLark("/kpi today", { name: "kpi" });
    const kpi = area.lastLark();
    expect(kpi).toContain("Quality sampling");
    expect(kpi).toMatch(/sampling coverage[^"]*66.7% \(2\/3\)/);
    expect(kpi).toMatch(/lot pass rate[^"]*50% \(1\/2\)/);

    await area.postLark("/target set sampling_coverage day 95%", { name: "target", sender: "ou_boss" });
    await area.postLark("/kpi today", { name: "kpi2" });
    expect(area.lastLark()).toMatch(/sampling coverage[^"]*95%/);
  });
});

describe("/批次 /抽检 /放行 on DingTalk", () => {
  it("answers in Chinese: required sample, refusal with the shortfall, release", async () => {
    await area.withRole("dingtalk", "qa4511", "qa");
    const order = await confirmedOrder();
    const say = async (text: string, name: string) => {
      expect(
        await sendDingTalkMessage(area.h, area.fakes, text, area.messageId(name), {
          senderStaffId: "qa4511",
        }),
      ).toBe(200);
      return JSON.stringify(area.fakes.dingtalk.delivered.at(-1)?.body);
    };
    expect(await say(`/批次 ${order} 21`, "lot")).toContain("应抽检 2 件");
    await say("/抽检 L-20261126-001 1 0", "qc");
    expect(await say("/放行 L-20261126-001", "early")).toContain("已抽检 1 件, 应抽 2 件: 还差 1 件");
    await say("/抽检 L-20261126-001 1 0 外观无异常", "qc2");
    expect(await say("/放行 L-20261126-001", "release")).toContain("已放行");
  });
});

describe("/qc and /lot release on the WeCom app", () => {
  it("refuses release until the sample is met", async () => {
    await area.withRole("wecom", "zhangsan", "qa");
    const order = await confirmedOrder();
    const say = async (text: string, name: string) => {
      expect(await sendWeComAppMessage(area.h, text, area.messageId(name))).toBe(200);
      return JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body);
    };
    expect(await say(`/lot new ${order} 400`, "lot")).toContain("sample 20");
    await say("/qc L-20261126-001 19 0", "qc");
    expect(await say("/lot release L-20261126-001", "early")).toContain(
      "sampled 19 of the required 20: 1 to go",
    );
    await say("/qc L-20261126-001 1 0", "qc2");
    expect(await say("/lot release L-20261126-001", "release")).toContain("released");
  });
});

describe("/lot on the WeCom robot", () => {
  it("declares a lot and shows it", async () => {
    await area.withRole("wecom", "lisi", "qa");
    const order = await confirmedOrder();
    const say = async (text: string, name: string) => {
      expect(
        await sendWeComBotMessage(area.h, area.fakes, text, area.messageId(name), { userId: "lisi" }),
      ).toBe(200);
      return JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body);
    };
    expect(await say(`/lot new ${order} 1000000`, "lot")).toContain("sample 50000");
    await say("/qc L-20261126-001 50000 1000", "qc");
    const shown = await say("/lot L-20261126-001", "show");
    expect(shown).toContain("50000 / 1000 (2%)");
    expect(shown).toContain("sample met: waiting for QA's release");
  });
});
