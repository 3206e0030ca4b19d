// One area's end-to-end file in a line: a database and the fake platforms per file, a fresh harness per test,
// and the moves every area's tests make (a person with a role, a signed Lark message, the last Lark reply).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { alertNotice } from "../../commands/alerts/cards.ts";
import type { Database } from "../../src/db/database.ts";
import { chats, identities, subscriptions } from "../../src/db/schema/index.ts";
import { sweepOverdue } from "../../src/domain/alerts/sweep.ts";
import { grantRole, personForContact } from "../../src/domain/people/people.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { openTestDatabase, type TestDatabase, truncateAll } from "./database.ts";
import { type Channel, createHarness, type Fakes, type Harness, LARK, startFakes } from "./e2e-harness.ts";
import { type LarkMentionSpec, larkCardAction, larkMessageEvent, signLarkRequest } from "./lark-signer.ts";
import { need } from "./need.ts";

/** The business timezone the area tests run in (the harness's default OPS_TIMEZONE). */
const TIMEZONE = "Asia/Shanghai";

export interface AreaTestOptions {
  /** Starts every message id of the file, so ids never collide between files sharing a database. */
  prefix: string;
  /** Where each test's manual clock starts. */
  start: Date;
  /** The Lark chat messages come from unless a test names another. */
  larkChat: string;
  /** The Lark user who sends unless a test names another. */
  larkSender: string;
  channels?: readonly Channel[];
  /** More environment for every test's harness (e.g. OPS_URGENT). */
  env?: Record<string, string>;
  /** Rows every test of the file starts from, written after the tables are emptied. */
  seed?: (db: Database["db"]) => Promise<void>;
}

export interface LarkPost {
  /** Names the message within the test; default a counter. */
  name?: string;
  sender?: string;
  chatId?: string;
  chatType?: "group" | "p2p";
  mentions?: LarkMentionSpec[];
}

export interface AreaTest {
  readonly database: TestDatabase;
  readonly fakes: Fakes;
  /** This test's harness (fresh in each). */
  readonly h: Harness;
  /** A message id unique to this file and test. */
  messageId(name: string): string;
  /** Makes the person behind a platform account exist with a role; returns their person id. */
  withRole(platform: "lark" | "dingtalk" | "wecom", userId: string, role: Role): Promise<number>;
  /** Posts a signed Lark message, expects 200 and waits for its processing; returns the message id. */
  postLark(text: string, post?: LarkPost): Promise<string>;
  /** The last reply the fake Lark received, as JSON text. */
  lastLark(): string;
  /** The content of the last reply the fake Lark received (the message's own JSON, not escaped again). */
  lastLarkContent(): string;
  /**
   * Runs the overdue sweep at `at` (default the clock's now) through this test's outbox, and waits for the notices
   * it sends at once: a send left running would write into the next test's tables.
   */
  sweep(at?: Date): Promise<void>;
  /** Clicks a button carrying `value` on a card in a Lark chat, signed; resolves with the callback's answer as JSON text. */
  clickLark(value: Record<string, unknown>, click?: { operator?: string; chatId?: string }): Promise<string>;
  /** The person id behind a platform user id, if the bot has met that account. */
  personIdOf(platformUserId: string): Promise<number | undefined>;
  /** The Lark group `chatId` subscribed to alerts now, as /subscribe leaves it. */
  subscribeLarkAlerts(chatId: string): Promise<void>;
}

/** Registers the file's hooks and returns live accessors to its database, fakes and harness. */
export function useAreaTest(options: AreaTestOptions): AreaTest {
  let database: TestDatabase | undefined;
  let fakes: Fakes | undefined;
  let harness: Harness | undefined;
  let testNumber = 0;
  let postNumber = 0;

  beforeAll(async () => {
    [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
  });
  afterAll(async () => {
    await Promise.all([database?.close(), fakes?.close()]);
  });
  beforeEach(async () => {
    const db = need(database, "database");
    await truncateAll(db);
    await options.seed?.(db.db);
    need(fakes, "fakes").reset();
    testNumber++;
    postNumber = 0;
    harness = createHarness({
      database: db,
      fakes: need(fakes, "fakes"),
      channels: options.channels ?? ["lark", "dingtalk", "wecom"],
      start: options.start,
      ...(options.env ? { env: options.env } : {}),
    });
  });

  const area: AreaTest = {
    get database() {
      return need(database, "database");
    },
    get fakes() {
      return need(fakes, "fakes");
    },
    get h() {
      return need(harness, "harness");
    },
    messageId: (name) => `${options.prefix}_${name}_${testNumber}`,
    async withRole(platform, userId, role) {
      const now = area.h.clock.now();
      const { personId } = await personForContact(area.database.db, {
        platform,
        userId,
        name: userId,
        bootstrapAdmin: false,
        now,
      });
      await grantRole(area.database.db, { personId, role, by: null, now });
      return personId;
    },
    async postLark(text, post = {}) {
      postNumber++;
      const id = `om_${area.messageId(post.name ?? `post${postNumber}`)}`;
      const payload = larkMessageEvent({
        token: LARK.verificationToken,
        text,
        messageId: id,
        chatId: post.chatId ?? options.larkChat,
        chatType: post.chatType,
        eventId: `ev_${id}`,
        senderOpenId: post.sender ?? options.larkSender,
        mentions: post.mentions ?? [],
      });
      const timestamp = String(Math.floor(area.h.clock.now().getTime() / 1000));
      const { body, headers } = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp });
      expect((await area.h.send("/webhooks/lark", { method: "POST", body, headers })).status).toBe(200);
      await area.h.settle();
      return id;
    },
    async sweep(at) {
      const swept = await sweepOverdue(
        { db: area.database.db, outbox: area.h.services.outbox, timezone: TIMEZONE, draw: alertNotice },
        at ?? area.h.clock.now(),
      );
      await swept.sending;
    },
    lastLark: () => JSON.stringify(area.fakes.lark.delivered.at(-1)?.body ?? null),
    lastLarkContent: () =>
      (area.fakes.lark.delivered.at(-1)?.body as { content?: string } | undefined)?.content ?? "",
    async clickLark(value, click = {}) {
      postNumber++;
      const eventId = `ev_click_${area.messageId(`click${postNumber}`)}`;
      const payload = larkCardAction({
        token: LARK.verificationToken,
        value,
        eventId,
        operatorOpenId: click.operator ?? options.larkSender,
        chatId: click.chatId ?? options.larkChat,
        messageId: `om_card_${area.messageId(`click${postNumber}`)}`,
      });
      const timestamp = String(Math.floor(area.h.clock.now().getTime() / 1000));
      const { body, headers } = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp });
      const response = await area.h.send("/webhooks/lark", { method: "POST", body, headers });
      expect(response.status).toBe(200);
      const answer = await response.text();
      await area.h.settle();
      return answer;
    },
    async personIdOf(platformUserId) {
      const [identity] = await area.database.db
        .select({ personId: identities.personId })
        .from(identities)
        .where(eq(identities.platformUserId, platformUserId));
      return identity?.personId;
    },
    async subscribeLarkAlerts(chatId) {
      const now = area.h.clock.now();
      await area.database.db
        .insert(chats)
        .values({ platform: "lark", chatId, kind: "group", createdAt: now, updatedAt: now });
      await area.database.db
        .insert(subscriptions)
        .values({ platform: "lark", chatId, topic: "alerts", createdAt: now });
    },
  };
  return area;
}
