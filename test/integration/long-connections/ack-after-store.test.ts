// An event is acknowledged on a long connection only once stored: when storing fails, the platform sends it again.
import { afterEach, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../../src/chat/events.ts";
import { parseEnv } from "../../../src/config/parse-env.ts";
import { createAdapters } from "../../../src/entry/compose/adapters.ts";
import { createLogger } from "../../../src/log.ts";
import { createDingTalkStream } from "../../../src/platforms/dingtalk/long-connection.ts";
import { createLarkLongConnection } from "../../../src/platforms/lark/long-connection.ts";
import type { AcceptEvent, ConnectionState, LongConnection } from "../../../src/platforms/long-connection.ts";
import { startFakeDingTalk } from "../../fakes/dingtalk.ts";
import { DINGTALK_TOPICS, startFakeDingTalkGateway } from "../../fakes/dingtalk-gateway.ts";
import { startFakeLark } from "../../fakes/lark.ts";
import { startFakeLarkGateway } from "../../fakes/lark-gateway.ts";
import { dingtalkRobotMessage } from "../../helpers/dingtalk-signer.ts";
import { larkMessageEvent } from "../../helpers/lark-signer.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An intake whose first `failures` calls fail as a database outage would; records what it stored. */
function flakyIntake(failures: number) {
  const stored: InboundEvent[] = [];
  let calls = 0;
  const acceptEvent: AcceptEvent = async (event) => {
    calls++;
    if (calls <= failures) throw new Error("database unavailable");
    stored.push(event);
    return undefined;
  };
  return { acceptEvent, stored, calls: () => calls };
}

const logLines: string[] = [];
const log = createLogger({ write: (line) => logLines.push(line) });
const states: ConnectionState[] = [];
const report = (state: ConnectionState) => states.push(state);

async function started(connection: LongConnection) {
  await connection.start();
  cleanups.push(() => connection.stop());
}

describe("acknowledged only once stored", () => {
  it("Lark: a failed store answers the frame with 500, and Lark's redelivery is stored", async () => {
    const app = { appId: "cli_c1b2c3d4e5f60718", appSecret: "lark-ack-secret" };
    const gateway = await startFakeLarkGateway(app);
    const lark = await startFakeLark({ ...app, gateway });
    cleanups.push(
      () => gateway.close(),
      () => lark.close(),
    );
    const config = parseEnv({
      LARK_APP_ID: app.appId,
      LARK_APP_SECRET: app.appSecret,
      LARK_VERIFICATION_TOKEN: "token",
      LARK_API_BASE: lark.url,
      LARK_TRANSPORT: "ws",
    });
    const intake = flakyIntake(1);
    const adapter = createAdapters(config, { now: () => new Date(0) }).lark;
    if (!config.lark || !adapter) throw new Error("Lark is not configured");
    await started(
      createLarkLongConnection({
        config: config.lark,
        adapter,
        acceptEvent: intake.acceptEvent,
        report,
        log,
      }),
    );
    await gateway.connected();

    const ack = await gateway.push(larkMessageEvent({ token: "token", text: "/help", messageId: "om_ack" }));
    expect(ack.code).toBe(200);
    expect(intake.calls()).toBe(2);
    expect(gateway.counts.redelivered).toBeGreaterThanOrEqual(1);
    expect(intake.stored.map((event) => event.dedupKey)).toEqual(["lark:msg:om_ack"]);
    expect(logLines.join("\n")).toContain('"event":"lark.ws.accept_failed"');
    expect(states).toContain("connected");
  });

  it("DingTalk: a failed store is not acknowledged, and DingTalk's redelivery is stored", async () => {
    const app = { clientId: "ding-ack", clientSecret: "dingtalk-ack-secret", robotCode: "ding-ack" };
    const gateway = await startFakeDingTalkGateway(app);
    const dingtalk = await startFakeDingTalk({ ...app, gateway });
    cleanups.push(
      () => gateway.close(),
      () => dingtalk.close(),
    );
    const config = parseEnv({
      DINGTALK_CLIENT_ID: app.clientId,
      DINGTALK_CLIENT_SECRET: app.clientSecret,
      DINGTALK_ROBOT_CODE: app.robotCode,
      DINGTALK_API_BASE: dingtalk.url,
      DINGTALK_OAPI_BASE: dingtalk.url,
      DINGTALK_TRANSPORT: "stream",
    });
    const intake = flakyIntake(1);
    const adapter = createAdapters(config, { now: () => new Date(0) }).dingtalk;
    if (!config.dingtalk || !adapter) throw new Error("DingTalk is not configured");
    await started(
      createDingTalkStream({
        config: config.dingtalk,
        adapter,
        acceptEvent: intake.acceptEvent,
        report,
        log,
      }),
    );
    await gateway.connected();

    await gateway.push(DINGTALK_TOPICS.robot, dingtalkRobotMessage({ text: "/help", msgId: "msgAck" }));
    expect(intake.calls()).toBe(2);
    expect(gateway.counts.redelivered).toBeGreaterThanOrEqual(1);
    expect(intake.stored.map((event) => event.dedupKey)).toEqual(["dingtalk:msg:msgAck"]);
    expect(logLines.join("\n")).toContain('"event":"dingtalk.stream.accept_failed"');
  });
});
