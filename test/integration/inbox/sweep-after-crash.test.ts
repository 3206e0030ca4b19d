// A message whose work finished but whose done mark was lost to a crash: the sweep must not run it twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inbox, orders } from "../../../src/db/schema/index.ts";
import { openTestDatabase, type TestDatabase } from "../../helpers/database.ts";
import { createHarness, type Fakes, LARK, startFakes } from "../../helpers/e2e-harness.ts";
import { larkMessageEvent, signLarkRequest } from "../../helpers/lark-signer.ts";

let database: TestDatabase;
let fakes: Fakes;
beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});

describe("inbox sweep after a crash", () => {
  it("does not take an order twice when the crash came after its reply, and sends the reply once", async () => {
    const h = createHarness({ database, fakes, channels: ["lark"], start: new Date("2026-11-26T02:00:00Z") });
    const payload = larkMessageEvent({
      token: LARK.verificationToken,
      text: "/order new ACME X1 10 2026-12-31",
      messageId: "om_crash_1",
      eventId: "ev_crash_1",
    });
    const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
    const signed = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp });
    const response = await h.send("/webhooks/lark", { method: "POST", ...signed });
    expect(response.status).toBe(200);
    await h.settle();
    expect(await database.db.$count(orders)).toBe(1);
    expect(fakes.lark.delivered).toHaveLength(1);

    // What a SIGKILL between the reply and the done mark leaves: the row still processing, its lease run out.
    await database.db.update(inbox).set({ status: "processing", leaseUntil: new Date(0) });
    expect(await h.services.recover()).toEqual({ done: 1, failed: 0 });

    expect(await database.db.$count(orders)).toBe(1);
    expect(fakes.lark.delivered).toHaveLength(1);
    expect((await h.inboxRows()).map((row) => row.status)).toEqual(["done"]);
  });
});
