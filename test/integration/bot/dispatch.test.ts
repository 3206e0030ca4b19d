// The bot handler: its reply work after it returned (the send goes on, a failure is logged, not thrown), and a
// retry after a crash that must not run a command twice.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { createCommandRegistry } from "../../../commands/index.ts";
import { createBotHandler } from "../../../src/bot/dispatch.ts";
import { createRegistry, createRouter } from "../../../src/bot/index.ts";
import { parseEnv } from "../../../src/config/parse-env.ts";
import { orders, outbox as outboxTable } from "../../../src/db/schema/index.ts";
import { hasAnyRole } from "../../../src/domain/people/role.ts";
import { createLogger, silentLogger } from "../../../src/log.ts";
import { createOutbox, type Outbox } from "../../../src/outbox/outbox.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "../../helpers/database.ts";
import { inboundMessage } from "../../helpers/inbound-message.ts";
import { manualClock } from "../../helpers/manual-clock.ts";
import { recordingAdapters, type Sent } from "../../helpers/recording-adapters.ts";

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

it("does not run a command again on a retry when its change is in but its reply was never stored", async () => {
  const clock = manualClock("2026-11-26T01:30:00.000Z");
  const sent: Sent[] = [];
  const outbox = createOutbox({
    database,
    adapters: recordingAdapters(sent),
    now: clock.now,
    log: silentLogger,
    sleep: async (ms) => clock.advance(ms),
  });
  const config = parseEnv({ OPS_TIMEZONE: "Asia/Shanghai" });
  const deps = { database, config, now: clock.now, outbox, log: silentLogger };
  const router = createRouter({ registry: createCommandRegistry(deps), authorize: hasAnyRole });
  const handler = createBotHandler({ ...deps, router });
  const event = inboundMessage("om_order", { text: "/order new ACME X1 5 2026-12-10" });

  await (await handler.message(event, 1)).settled;
  // The process died after the order's transaction and before the reply row: the sweep runs it again.
  await database.db.delete(outboxTable).where(eq(outboxTable.idempotencyKey, `reply:${event.dedupKey}`));
  sent.length = 0;
  await (await handler.message(event, 2)).settled;

  const stored = await database.db.select({ number: orders.number }).from(orders);
  expect(stored).toHaveLength(1);
  expect(sent.map((one) => one.message)).toEqual([
    { type: "text", text: `This message was already handled: order ${stored[0]?.number}` },
  ]);
});
