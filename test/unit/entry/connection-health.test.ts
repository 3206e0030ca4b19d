import { describe, expect, it } from "vitest";
import {
  CONNECTION_DOWN_AFTER_MS,
  createConnectionHealth,
} from "../../../src/entry/node/connection-health.ts";
import { manualClock } from "../../helpers/manual-clock.ts";

describe("connection health", () => {
  it("has nothing to say without long connections", () => {
    expect(createConnectionHealth(manualClock("2026-11-26T02:00:00Z").now).snapshot()).toBeUndefined();
  });

  it("reports each state, and down (unhealthy) only after a minute without a connection", () => {
    const clock = manualClock("2026-11-26T02:00:00Z");
    const health = createConnectionHealth(clock.now);
    const lark = health.reporter("lark");
    const dingtalk = health.reporter("dingtalk");
    expect(health.snapshot()).toEqual({
      connections: { lark: "connecting", dingtalk: "connecting" },
      healthy: true,
    });
    lark("connected");
    dingtalk("connected");
    clock.advance(10 * CONNECTION_DOWN_AFTER_MS);
    expect(health.snapshot()).toEqual({
      connections: { lark: "connected", dingtalk: "connected" },
      healthy: true,
    });

    lark("connecting");
    clock.advance(CONNECTION_DOWN_AFTER_MS);
    // A reconnect attempt in between does not restart the minute.
    lark("down");
    lark("connecting");
    expect(health.snapshot()).toEqual({
      connections: { lark: "connecting", dingtalk: "connected" },
      healthy: true,
    });
    clock.advance(1);
    expect(health.snapshot()).toEqual({
      connections: { lark: "down", dingtalk: "connected" },
      healthy: false,
    });

    lark("connected");
    expect(health.snapshot()?.healthy).toBe(true);
  });

  it("counts a connection that never came up from its start", () => {
    const clock = manualClock("2026-11-26T02:00:00Z");
    const health = createConnectionHealth(clock.now);
    health.reporter("wecom");
    clock.advance(CONNECTION_DOWN_AFTER_MS + 1);
    expect(health.snapshot()).toEqual({ connections: { wecom: "down" }, healthy: false });
  });
});
