// Lark end to end: signed webhook → inbox → bot → outbox → the fake Lark, through createServices' app.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import { createHarness, type Fakes, type Harness, LARK, startFakes } from "../helpers/e2e-harness.ts";
import { larkCardAction, larkMessageEvent, signLarkRequest } from "../helpers/lark-signer.ts";

type Json = Record<string, unknown>;

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
/** Lark keeps a send uuid (our idempotency key) for an hour, and so does the fake: message ids differ per test. */
let testNumber = 0;
const id = (name: string) => `om_${name}_${testNumber}`;

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
});
afterAll(async () => {
  await Promise.all([database.close(), fakes.close()]);
});
// A failed test must not leave background work running into the next one.
afterEach(() => h.settle());
beforeEach(async () => {
  await truncateAll(database);
  fakes.reset();
  testNumber++;
  h = createHarness({ database, fakes, channels: ["lark"] });
});

/** A POST signed (and encrypted) as Lark does it, stamped with the harness clock. */
function signed(payload: unknown): RequestInit {
  const timestamp = String(Math.floor(h.clock.now().getTime() / 1000));
  const request = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp });
  return { method: "POST", body: request.body, headers: request.headers };
}

const message = (text: string, messageId: string, chatId = "oc_e2e_ops") =>
  larkMessageEvent({ token: LARK.verificationToken, text, messageId, chatId, eventId: `ev_${messageId}` });

const postMessage = (text: string, messageId: string) =>
  h.send("/webhooks/lark", signed(message(text, messageId)));

interface Button {
  label: string;
  value: Json;
}

/** Every button of a Card JSON 2.0, wherever it sits. */
function buttonsOf(node: unknown): Button[] {
  if (Array.isArray(node)) return node.flatMap(buttonsOf);
  if (typeof node !== "object" || node === null) return [];
  const element = node as Json;
  if (element.tag === "button") {
    const behaviors = element.behaviors as { value: Json }[];
    return [{ label: (element.text as { content: string }).content, value: behaviors[0]?.value ?? {} }];
  }
  return Object.values(element).flatMap(buttonsOf);
}

const titleOf = (card: Json): string => (card.header as { title: { content: string } }).title.content;

/** The one delivery at the fake Lark, with its content parsed. */
function onlyDelivery() {
  expect(fakes.lark.delivered).toHaveLength(1);
  const [delivery] = fakes.lark.delivered;
  const body = delivery?.body as { msg_type: string; content: string };
  return { path: delivery?.path, msgType: body.msg_type, content: JSON.parse(body.content) as Json };
}

describe("Lark /help", () => {
  it.each([
    ["/help", "Commands", "中文"],
    ["/帮助", "命令列表", "English"],
  ])(
    "answers %s with one help card in its language, acked at once and recorded done and sent",
    async (text, title, other) => {
      const response = await postMessage(text, id("help"));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
      // Acked means durable: the row was written before the 200.
      expect(await h.inboxRows()).toHaveLength(1);

      await h.settle();
      const reply = onlyDelivery();
      expect(reply.path).toBe(`/open-apis/im/v1/messages/${id("help")}/reply`);
      expect(reply.msgType).toBe("interactive");
      expect(titleOf(reply.content)).toBe(title);
      expect(buttonsOf(reply.content).map((button) => button.label)).toEqual([other]);

      const [inbox] = await h.inboxRows();
      expect(inbox).toMatchObject({ dedupKey: `lark:msg:${id("help")}`, status: "done", attempts: 1 });
      const outbox = await h.outboxRows();
      expect(outbox.map((row) => [row.idempotencyKey, row.status, row.attempts])).toEqual([
        [`reply:lark:msg:${id("help")}`, "sent", 1],
      ]);
    },
  );
});

describe("Lark help card button", () => {
  it("redraws the card in the other language in the callback answer itself, both ways", async () => {
    await postMessage("/帮助", id("card"));
    await h.settle();
    const chinese = onlyDelivery().content;
    // The card clicked is the bot's reply, whose id the outbox kept from Lark's answer.
    const [replyRow] = await h.outboxRows();
    const replyId = (replyRow?.result as { messageId?: string } | null)?.messageId;
    expect(replyId).toMatch(/^om_\d+$/);

    const click = async (button: Button | undefined, eventId: string) => {
      expect(button).toBeDefined();
      const response = await h.send(
        "/webhooks/lark",
        signed(
          larkCardAction({
            token: LARK.verificationToken,
            value: button?.value,
            eventId,
            messageId: replyId,
            chatId: "oc_e2e_ops",
          }),
        ),
      );
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { card?: { type: string; data: Json } };
      expect(answer.card?.type).toBe("raw");
      return answer.card?.data as Json;
    };

    const english = await click(buttonsOf(chinese)[0], "ev_click_1");
    expect(titleOf(english)).toBe("Commands");
    expect(buttonsOf(english).map((button) => button.label)).toEqual(["中文"]);

    const backToChinese = await click(buttonsOf(english)[0], "ev_click_2");
    expect(titleOf(backToChinese)).toBe("命令列表");
    expect(buttonsOf(backToChinese).map((button) => button.label)).toEqual(["English"]);

    await h.settle();
    // The answers carried the cards: nothing else went to Lark, and the clicks wrote no outbox rows.
    expect(fakes.lark.delivered).toHaveLength(1);
    expect((await h.outboxRows()).map((row) => row.idempotencyKey)).toEqual([`reply:lark:msg:${id("card")}`]);
    expect((await h.inboxRows()).map((row) => [row.dedupKey, row.status])).toEqual([
      [`lark:msg:${id("card")}`, "done"],
      ["lark:card:ev_click_1", "done"],
      ["lark:card:ev_click_2", "done"],
    ]);
  });
});

describe("Lark duplicates", () => {
  it("replies once to an event delivered 3 times in a row and once to one delivered 3 times at once", async () => {
    for (let i = 0; i < 3; i++) expect((await postMessage("/help", id("seq"))).status).toBe(200);
    // One reply at a time: two in flight together would wait for pacing on a clock that does not move.
    await h.settle();
    const concurrent = await Promise.all([1, 2, 3].map(() => postMessage("/help", id("par"))));
    expect(concurrent.map((response) => response.status)).toEqual([200, 200, 200]);
    await h.settle();

    const replies = fakes.lark.requests.filter((request) => request.path.endsWith("/reply"));
    expect(replies.map((request) => request.path).sort()).toEqual([
      `/open-apis/im/v1/messages/${id("par")}/reply`,
      `/open-apis/im/v1/messages/${id("seq")}/reply`,
    ]);
    expect(fakes.lark.delivered).toHaveLength(2);
    expect(await h.inboxRows()).toHaveLength(2);
    expect((await h.outboxRows()).map((row) => row.status)).toEqual(["sent", "sent"]);
  });
});

describe("Lark: every message gets an answer", () => {
  it.each([
    ["/foo", "text", /unknown command: \/foo.*\/help/],
    ["/帮忙", "text", /未知命令: \/帮忙.*\/帮助/],
    ["hello", "text", /Commands start with \/\. Send \/help/],
    ["/HELP", "card", /^Commands$/],
    ["／帮助", "card", /^命令列表$/],
    ["/help nosuch", "card", /^No such command$/],
  ])("answers %j with one %s naming the mistake or the help", async (text, kind, expected) => {
    await postMessage(text, id("odd"));
    await h.settle();
    const reply = onlyDelivery();
    if (kind === "text") {
      expect(reply.msgType).toBe("text");
      expect(reply.content.text).toMatch(expected);
    } else {
      expect(reply.msgType).toBe("interactive");
      expect(titleOf(reply.content)).toMatch(expected);
    }
    expect(JSON.stringify(reply.content)).not.toMatch(/\bat \S+\.(ts|js)|Error:/);
  });

  it("answers a message that is only the bot's mention", async () => {
    const mentionOnly = larkMessageEvent({
      token: LARK.verificationToken,
      text: "@_user_1",
      messageId: id("mention"),
      mentions: [{ key: "@_user_1", openId: "ou_bot", name: "opsbot", mentionedType: "bot" }],
    });
    await h.send("/webhooks/lark", signed(mentionOnly));
    await h.settle();
    expect(onlyDelivery().content.text).toMatch(/Send \/help/);
  });
});

describe("Lark outage", () => {
  it("retries a reply through 429 and 500 on each drain once its time has come, and delivers it once", async () => {
    fakes.lark.fail({ count: 1, status: 429, body: { code: 99991400, msg: "too many requests" } });
    fakes.lark.fail({ count: 2, status: 500 });
    await postMessage("/help", id("outage"));
    await h.settle();
    expect(fakes.lark.delivered).toHaveLength(0);
    expect((await h.inboxRows())[0]?.status).toBe("done");
    expect(await h.outboxRows()).toMatchObject([{ status: "pending", attempts: 1 }]);

    // Not yet due: a drain at the same moment sends nothing.
    expect(await h.services.outbox.drain()).toEqual({ sent: 0, retried: 0, failed: 0, deferred: 0 });

    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      h.clock.advance(60_000);
      outcomes.push(await h.services.outbox.drain());
    }
    expect(outcomes.map((counts) => [counts.sent, counts.retried])).toEqual([
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    expect(fakes.lark.delivered).toHaveLength(1);
    expect(fakes.lark.requests.filter((r) => r.path.endsWith("/reply")).map((r) => r.status)).toEqual([
      429, 500, 500, 200,
    ]);
    expect(await h.outboxRows()).toMatchObject([{ status: "sent", attempts: 4 }]);

    // Sent means done: later drains send nothing more.
    h.clock.advance(60_000);
    expect((await h.services.outbox.drain()).sent).toBe(0);
    expect(fakes.lark.delivered).toHaveLength(1);
  });

  it("waits for Lark's rate-limit reset before retrying", async () => {
    fakes.lark.fail({ count: 1, status: 429, headers: { "x-ogw-ratelimit-reset": "30" } });
    await postMessage("/help", id("reset"));
    await h.settle();
    h.clock.advance(20_000);
    expect((await h.services.outbox.drain()).sent).toBe(0);
    expect(fakes.lark.delivered).toHaveLength(0);
    h.clock.advance(11_000);
    expect((await h.services.outbox.drain()).sent).toBe(1);
    expect(fakes.lark.delivered).toHaveLength(1);
  });
});
