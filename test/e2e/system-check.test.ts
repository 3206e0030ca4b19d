// The morning system check end to end: /check (/系统检查) through the signed webhooks of Lark, DingTalk, the WeCom
// app and robot; the 09:30 alert on a working day, the make-up Saturday and a holiday; the bot's own probe of
// OPS_SYSTEM_CHECKS against a real HTTP server, one system answering and one timing out.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts, inspections, systemProbes } from "../../src/db/schema/index.ts";
import { overdueSweepJob } from "../../src/jobs/overdue-sweep.ts";
import { runSystemProbe } from "../../src/jobs/system-probe.ts";
import { restoreSeededChecklists } from "../helpers/database.ts";
import { useAreaTest } from "../helpers/e2e-area.ts";
import { sendDingTalkMessage, sendWeComAppMessage, sendWeComBotMessage } from "../helpers/e2e-harness.ts";

/** A Shanghai wall-clock time as an instant. */
const shanghai = (local: string) => new Date(`${local}:00+08:00`);

// Wednesday 2026-11-25 08:00 in Shanghai, a working day.
const START = shanghai("2026-11-25T08:00");

const area = useAreaTest({
  prefix: "syscheck",
  start: START,
  larkChat: "oc_it",
  larkSender: "ou_it",
  channels: ["lark", "dingtalk", "wecom", "wecomBot"],
  seed: restoreSeededChecklists,
});

/** Two systems as a manager adds them: ERP and the warehouse system, each reachable + in sync. */
async function addSystems() {
  await area.withRole("lark", "ou_manager", "manager");
  await area.postLark("/checklist area add erp system ERP系统/ERP", { sender: "ou_manager" });
  await area.postLark("/checklist area add wms system 仓储系统/WMS", { sender: "ou_manager" });
}

const sweepAt = async (local: string) => {
  const at = shanghai(local);
  area.h.clock.set(at.toISOString());
  return overdueSweepJob.run(area.h.services.jobContext(at));
};

const systemAlerts = async () =>
  (await area.database.db.select().from(alerts).where(eq(alerts.kind, "system_check"))).map((row) => [
    row.entity,
    row.level,
    (row.facts as { systems: string[] }).systems,
  ]);

describe("/check on Lark", () => {
  it("shows the form, takes a typed check per system and stores one record each on its checklist version", async () => {
    await addSystems();
    await area.postLark("/check");
    expect(area.lastLark()).toContain("Morning system check · 2026-11-25");
    expect(area.lastLark()).toContain("ERP · Reachable");
    await area.postLark("/check ok ok ok fail");
    expect(area.lastLark()).toContain("Morning system check recorded");
    const stored = await area.database.db.select().from(inspections).orderBy(asc(inspections.id));
    expect(stored.map((row) => [row.findingCount, row.checklistVersion])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    // Checked before 09:30: no alert at the cut-off; the inspection figures do not count the systems.
    await sweepAt("2026-11-25T09:35");
    expect(await systemAlerts()).toEqual([]);
  });

  it("refuses a wrong count of results with the usage, and a word that is not ok or fail", async () => {
    await addSystems();
    await area.postLark("/check ok ok");
    expect(area.lastLark()).toContain("4 results needed, got 2");
    expect(area.lastLark()).toContain("usage: /check");
    await area.postLark("/check ok ok maybe ok");
    expect(area.lastLark()).toContain("must be pass or fail: maybe");
    expect(await area.database.db.$count(inspections)).toBe(0);
  });
});

describe("the 09:30 alert", () => {
  it("on a working day: none at 09:25, one at 09:30 naming the systems, cleared by the check", async () => {
    await addSystems();
    await sweepAt("2026-11-25T09:25");
    expect(await systemAlerts()).toEqual([]);
    await sweepAt("2026-11-25T09:30");
    expect(await systemAlerts()).toEqual([["2026-11-25", "missed", ["erp", "wms"]]]);
    await area.postLark("/check ok ok ok ok");
    await sweepAt("2026-11-25T09:35");
    const [row] = await area.database.db.select().from(alerts).where(eq(alerts.kind, "system_check"));
    expect(row?.closedAt).not.toBeNull();
  });

  it("on the make-up Saturday 2026-10-10 it is due; on the holiday 2026-10-02 it is not", async () => {
    area.h.clock.set(shanghai("2026-09-30T10:00").toISOString());
    await addSystems();
    await sweepAt("2026-10-02T09:45");
    expect(await systemAlerts()).toEqual([]);
    await sweepAt("2026-10-10T09:45");
    expect(await systemAlerts()).toEqual([["2026-10-10", "missed", ["erp", "wms"]]]);
  });
});

describe("the bot's own probe", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/health") response.writeHead(200).end("ok");
      // Never answers: the probe must give up at its timeout.
      else if (request.url === "/hang") return;
      else response.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const probeAt = (local: string, timeoutMs = 300) => {
    const at = shanghai(local);
    area.h.clock.set(at.toISOString());
    const ctx = area.h.services.jobContext(at);
    const config = {
      ...ctx.config,
      systemChecks: [
        { name: "erp", url: `${base}/health` },
        { name: "wms", url: `${base}/hang` },
      ],
    };
    return runSystemProbe({ ...ctx, config }, { fetch, timeoutMs, elapsedMs: () => performance.now() });
  };

  it("probes at 08:30 on a working day, once; the /check card starts from what it found", async () => {
    await addSystems();
    expect(await probeAt("2026-11-25T08:29")).toBe("not 08:30 yet");
    expect(await probeAt("2026-11-25T08:30")).toBe("2 systems probed for 2026-11-25: 1 reachable");
    expect(await probeAt("2026-11-25T08:35")).toBe("0 systems probed for 2026-11-25: 0 reachable");
    const rows = await area.database.db.select().from(systemProbes).orderBy(asc(systemProbes.system));
    expect(rows.map((row) => [row.system, row.status, row.reachable, row.failure])).toEqual([
      ["erp", 200, true, null],
      ["wms", null, false, "timeout"],
    ]);
    await area.postLark("/check");
    const card = area.lastLark();
    expect(card).toContain("HTTP 200");
    expect(card).toContain("WMS: no answer &#40;timeout&#41;");
    // The probed item starts as the probe found it: ERP reachable, WMS not; "in sync" is the person's to say.
    const content = JSON.parse((JSON.parse(card) as { content: string }).content) as unknown;
    const selects = new Map<string, string | undefined>();
    JSON.stringify(content, (_key, value: { tag?: string; name?: string; initial_option?: string }) => {
      if (value?.tag === "select_static" && value.name) selects.set(value.name, value.initial_option);
      return value;
    });
    expect(Object.fromEntries(selects)).toEqual({
      erp__reachable: "pass",
      erp__in_sync: undefined,
      wms__reachable: "fail",
      wms__in_sync: undefined,
    });
  });

  it("does not probe on a holiday or after the check is due", async () => {
    await addSystems();
    expect(await probeAt("2026-10-02T08:45")).toBe("2026-10-02 is not a working day");
    expect(await probeAt("2026-11-25T09:30")).toBe("the check was due at 09:30");
    expect(await area.database.db.$count(systemProbes)).toBe(0);
  });
});

describe("/系统检查 on DingTalk and WeCom", () => {
  it("DingTalk: a failed check is recorded and alerted as a finding", async () => {
    await addSystems();
    await area.withRole("dingtalk", "it4511", "staff");
    expect(
      await sendDingTalkMessage(area.h, area.fakes, "/系统检查 正常 异常 正常 正常", area.messageId("c"), {
        senderStaffId: "it4511",
      }),
    ).toBe(200);
    expect(JSON.stringify(area.fakes.dingtalk.delivered)).toContain("早间系统检查已记录");
    const stored = await area.database.db.select().from(inspections).orderBy(asc(inspections.id));
    expect(stored.map((row) => [row.findingCount, row.platform])).toEqual([
      [1, "dingtalk"],
      [0, "dingtalk"],
    ]);
  });

  it("WeCom app: with no system yet, says how a manager adds one", async () => {
    expect(await sendWeComAppMessage(area.h, "/check", area.messageId("none"))).toBe(200);
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain(
      "/checklist area add <system-key> system",
    );
  });

  it("WeCom robot: the typed check in a group", async () => {
    await addSystems();
    expect(await sendWeComBotMessage(area.h, area.fakes, "/check ok ok ok ok", area.messageId("g"))).toBe(
      200,
    );
    expect(JSON.stringify(area.fakes.wecom.delivered.at(-1)?.body)).toContain("Every system OK");
    expect(await area.database.db.$count(inspections)).toBe(2);
  });
});
