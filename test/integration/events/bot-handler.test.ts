// The bot handler's reply work after it returned: the send goes on, and its failure is logged, not thrown.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { createRegistry, createRouter, hasAnyRole } from "../../../src/bot/index.ts";
import { parseEnv } from "../../../src/config/parse-env.ts";
import { createBotHandler } from "../../../src/events/bot-handler.ts";
import { createLogger } from "../../../src/log.ts";
import { createOutbox, type Outbox } from "../../../src/outbox/outbox.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import { inboundMessage } from "../../helpers/inbound-message.ts";
import { manualClock } from "../../helpers/manual-clock.ts";
import { recordingAdapters } from "../../helpers/recording-adapters.ts";

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());
beforeEach(() => truncateAll(database));

it("returns once the reply is stored, and logs a send that could not be recorded instead of rejecting", async () => {
  const clock = manualClock("2026-11-26T01:30:00.000Z");
  const lines: string[] = [];
  const log = createLogger({ write: (line) => lines.push(line) });
  const real = createOutbox({ database, adapters: recordingAdapters([]), now: clock.now, log });
  let fail!: (error: Error) => void;
  const recording = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // The reply is stored for real; recording its outcome fails later, after the event was marked done.
  const outbox: Outbox = {
    ...real,
    sendNow: async (items) => {
      await real.enqueue(items);
      return { settled: recording };
    },
  };
  const router = createRouter({ registry: createRegistry({ commands: [] }), authorize: hasAnyRole });
  const config = parseEnv({ OPS_TIMEZONE: "Asia/Shanghai" });
  const handler = createBotHandler({ database, router, outbox, config, now: clock.now, log });

  const following = await handler.message(inboundMessage("om_1"), 1);
  // Nobody waits on the send yet (the caller marks the event done first): the failure must not escape.
  fail(new Error("connection terminated"));
  await following.settled;

  expect(lines.filter((line) => line.includes('"event":"outbox.sending_failed"'))).toHaveLength(1);
  expect(lines.join("\n")).toContain("connection terminated");
});
