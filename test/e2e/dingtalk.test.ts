// DingTalk end to end: signed robot messages and card callbacks → inbox → bot → outbox → the fake DingTalk.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase, truncateAll } from "../helpers/database.ts";
import {
  dingtalkCardCallback,
  dingtalkRobotMessage,
  signDingTalk,
  signDingTalkCard,
} from "../helpers/dingtalk-signer.ts";
import {
  type Channel,
  createHarness,
  DINGTALK,
  type Fakes,
  type Harness,
  startFakes,
} from "../helpers/e2e-harness.ts";

type Json = Record<string, unknown>;

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
/** The fake keeps card out-track ids across tests, as DingTalk does: message ids differ per test. */
let testNumber = 0;
const msgId = (name: string) => `msg_${name}_${testNumber}==`;

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
  start(["dingtalk"]);
});

/** Services for these channels (the default has no card template). */
function start(channels: Channel[]) {
  h = createHarness({ database, fakes, channels });
}

const SESSION_PATH = "/robot/sendBySession";
const GROUP_SEND = "/v1.0/robot/groupMessages/send";

interface RobotOptions {
  conversationType?: "1" | "2";
  /** ms until the sessionWebhook expires, from now; default DingTalk's 90 minutes. */
  sessionLeftMs?: number;
  sessionWebhook?: string;
}

/** A robot message as DingTalk posts it: signed headers (timestamp + sign) and a sessionWebhook at the fake. */
function robotMessage(text: string, id: string, options: RobotOptions = {}): RequestInit {
  const now = h.clock.now().getTime();
  const body = dingtalkRobotMessage({
    text,
    msgId: id,
    createAt: now,
    conversationType: options.conversationType ?? "2",
    overrides: {
      sessionWebhook: options.sessionWebhook ?? fakes.dingtalk.sessionWebhookUrl(`s-${id}`),
      sessionWebhookExpiredTime: now + (options.sessionLeftMs ?? 5_400_000),
    },
  });
  return {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...signDingTalk(now, DINGTALK.clientSecret) },
  };
}

const postRobot = (text: string, id: string, options?: RobotOptions) =>
  h.send("/webhooks/dingtalk", robotMessage(text, id, options));

const deliveredPaths = () => fakes.dingtalk.delivered.map((delivery) => delivery.path.replace(/\?.*$/, ""));

/** The robot JSON of a delivery through the session webhook. */
const sessionBody = (index = 0) => fakes.dingtalk.delivered[index]?.body as Json;

function actionCardOf(body: Json): { title: string; buttons: { title: string; actionURL: string }[] } {
  expect(body.msgtype).toBe("actionCard");
  const card = body.actionCard as { title: string; btns: { title: string; actionURL: string }[] };
  return { title: card.title, buttons: card.btns };
}

describe("DingTalk /help", () => {
  it.each([
    ["/help", "Commands", "中文"],
    ["/帮助", "命令列表", "English"],
  ])(
    "answers %s through the message's sessionWebhook with one help card in its language",
    async (text, title, other) => {
      const id = msgId("help");
      const response = await postRobot(text, id);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
      expect(await h.inboxRows()).toHaveLength(1);

      await h.settle();
      expect(deliveredPaths()).toEqual([SESSION_PATH]);
      const card = actionCardOf(sessionBody());
      expect(card.title).toBe(title);
      expect(card.buttons.map((button) => button.title)).toEqual([other]);
      // A session-webhook reply needs no access token (no API call from the monthly quota).
      expect(fakes.dingtalk.tokensIssued()).toBe(0);

      expect(await h.inboxRows()).toMatchObject([{ dedupKey: `dingtalk:msg:${id}`, status: "done" }]);
      expect((await h.outboxRows()).map((row) => [row.idempotencyKey, row.status])).toEqual([
        [`reply:dingtalk:msg:${id}`, "sent"],
      ]);
    },
  );

  it("answers through groupMessages/send once the sessionWebhook has expired", async () => {
    await postRobot("/帮助", msgId("expired"), { sessionLeftMs: -1000 });
    await h.settle();
    expect(deliveredPaths()).toEqual([GROUP_SEND]);
    const body = fakes.dingtalk.delivered[0]?.body as Json;
    expect(body).toMatchObject({
      robotCode: DINGTALK.robotCode,
      openConversationId: "cidLY0TRpE+Ka//RsguNtQnHw==",
      msgKey: "sampleActionCard",
    });
    expect(JSON.parse(body.msgParam as string)).toMatchObject({ title: "命令列表", singleTitle: "English" });
    expect(await h.outboxRows()).toMatchObject([{ status: "sent" }]);
  });

  it("answers a 1:1 chat through oToMessages/batchSend when the sessionWebhook is about to expire", async () => {
    await postRobot("/help", msgId("direct"), { conversationType: "1", sessionLeftMs: 30_000 });
    await h.settle();
    expect(deliveredPaths()).toEqual(["/v1.0/robot/oToMessages/batchSend"]);
    expect(fakes.dingtalk.delivered[0]?.body).toMatchObject({ userIds: ["manager4511"] });
  });

  it("never posts to a sessionWebhook outside DINGTALK_OAPI_BASE (the robot signature does not cover the body)", async () => {
    const elsewhere = `${fakes.lark.url}/robot/sendBySession?session=stolen`;
    await postRobot("/help", msgId("ssrf"), { sessionWebhook: elsewhere });
    await h.settle();
    expect(fakes.lark.requests).toEqual([]);
    expect(deliveredPaths()).toEqual([GROUP_SEND]);
    expect(await h.outboxRows()).toMatchObject([{ status: "sent" }]);
  });
});

describe("DingTalk help card button with an interactive-card template", () => {
  type Button = { text: string; action: string; value: string };
  const buttonsOf = (params: Record<string, string> | undefined): Button[] =>
    JSON.parse(params?.buttons ?? "[]") as Button[];

  it("sends a command's help as a template card and answers a signed card callback with the redrawn card data", async () => {
    start(["dingtalkCards"]);
    await postRobot("/帮助 帮助", msgId("template"));
    await h.settle();
    expect(deliveredPaths()).toEqual(["/v1.0/card/instances/createAndDeliver"]);
    const delivery = fakes.dingtalk.delivered[0]?.body as { outTrackId: string; callbackType: string };
    expect(delivery.callbackType).toBe("HTTP");
    const card = fakes.dingtalk.cards.get(delivery.outTrackId);
    expect(card?.cardParamMap.title).toBe("/帮助 · /help");

    const click = async (button: Button | undefined) => {
      expect(button).toBeDefined();
      const timestamp = String(h.clock.now().getTime());
      const response = await h.send("/webhooks/dingtalk/cards", {
        method: "POST",
        body: JSON.stringify(
          dingtalkCardCallback({
            outTrackId: delivery.outTrackId,
            params: { action: button?.action, value: button?.value },
          }),
        ),
        headers: {
          "content-type": "application/json",
          ...signDingTalkCard(timestamp, DINGTALK.cardCallbackSecret),
        },
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { cardData?: { cardParamMap: Record<string, string> } };
      expect(answer.cardData).toBeDefined();
      return answer.cardData?.cardParamMap;
    };

    const english = await click(buttonsOf(card?.cardParamMap)[0]);
    expect(english?.title).toBe("/help · /帮助");
    expect(buttonsOf(english).map((button) => button.text)).toEqual(["中文"]);
    const chinese = await click(buttonsOf(english)[0]);
    expect(chinese?.title).toBe("/帮助 · /help");
    expect(buttonsOf(chinese).map((button) => button.text)).toEqual(["English"]);

    await h.settle();
    // The callback answers carried the new data: no card update and no message went out for the clicks.
    expect(fakes.dingtalk.delivered).toHaveLength(1);
    expect(await h.outboxRows()).toHaveLength(1);
    expect((await h.inboxRows()).map((row) => row.status)).toEqual(["done", "done", "done"]);
  });

  it("sends the whole command list, over the 1 KB a card value may hold, as a robot actionCard instead", async () => {
    start(["dingtalkCards"]);
    await postRobot("/帮助", msgId("long"));
    await h.settle();
    expect(deliveredPaths()).toEqual([SESSION_PATH]);
    const card = actionCardOf(sessionBody());
    expect(card.title).toBe("命令列表");
    expect(card.buttons.map((button) => button.title)).toEqual(["English"]);
  });
});

describe("DingTalk help card button without a template", () => {
  it("sends a dtmd link that posts the reserved action text, and redraws the card as a new message", async () => {
    await postRobot("/帮助", msgId("plain"));
    await h.settle();
    const chinese = actionCardOf(sessionBody(0));
    expect(chinese.buttons.map((button) => button.title)).toEqual(["English"]);

    /** What the DingTalk client posts as the user when the link is tapped. */
    const tapped = (actionURL: string | undefined): string => {
      const link = new URL(actionURL ?? "");
      expect(`${link.protocol}//${link.host}${link.pathname}`).toBe("dtmd://dingtalkclient/sendMessage");
      return link.searchParams.get("content") ?? "";
    };

    const firstClick = tapped(chinese.buttons[0]?.actionURL);
    expect(firstClick).toMatch(/^\/_ help\.language \S+$/);
    const response = await postRobot(firstClick, msgId("click1"));
    expect(response.status).toBe(200);
    await h.settle();
    expect(deliveredPaths()).toEqual([SESSION_PATH, SESSION_PATH]);
    const english = actionCardOf(sessionBody(1));
    expect(english.title).toBe("Commands");
    expect(english.buttons.map((button) => button.title)).toEqual(["中文"]);

    await postRobot(tapped(english.buttons[0]?.actionURL), msgId("click2"));
    await h.settle();
    expect(actionCardOf(sessionBody(2)).title).toBe("命令列表");

    expect((await h.outboxRows()).map((row) => [row.idempotencyKey, row.status])).toEqual([
      [`reply:dingtalk:msg:${msgId("plain")}`, "sent"],
      [`update:dingtalk:msg:${msgId("click1")}`, "sent"],
      [`update:dingtalk:msg:${msgId("click2")}`, "sent"],
    ]);
  });
});

describe("DingTalk duplicates", () => {
  it("replies once to a message delivered 3 times in a row and once to one delivered 3 times at once", async () => {
    const sequential = robotMessage("/help", msgId("seq"));
    for (let i = 0; i < 3; i++) expect((await h.send("/webhooks/dingtalk", sequential)).status).toBe(200);
    // One reply at a time: two in flight together would wait for pacing on a clock that does not move.
    await h.settle();
    const concurrent = robotMessage("/help", msgId("par"));
    const answers = await Promise.all([1, 2, 3].map(() => h.send("/webhooks/dingtalk", concurrent)));
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200]);
    await h.settle();

    const sessions = fakes.dingtalk.requests.filter((request) => request.path.startsWith(SESSION_PATH));
    expect(sessions.map((request) => request.path).sort()).toEqual(
      [
        `${SESSION_PATH}?session=${encodeURIComponent(`s-${msgId("par")}`)}`,
        `${SESSION_PATH}?session=${encodeURIComponent(`s-${msgId("seq")}`)}`,
      ].sort(),
    );
    expect(await h.inboxRows()).toHaveLength(2);
    expect(await h.outboxRows()).toHaveLength(2);
  });
});

describe("DingTalk: every message gets an answer", () => {
  it.each([
    ["/foo", /unknown command: \/foo.*\/help/],
    ["/帮忙", /未知命令: \/帮忙.*\/帮助/],
    ["hello", /Commands start with \/\. Send \/help/],
    ["/_ help.language !!!", /unknown command: \/_.*\/help/],
  ])("answers %j with one text naming the mistake", async (text, expected) => {
    await postRobot(text, msgId("odd"));
    await h.settle();
    expect(deliveredPaths()).toEqual([SESSION_PATH]);
    const body = sessionBody();
    expect(body.msgtype).toBe("text");
    expect((body.text as { content: string }).content).toMatch(expected);
  });

  it.each([
    ["/HELP", "Commands"],
    ["@opsbot ／帮助", "命令列表"],
  ])("answers %j with the help card", async (text, title) => {
    await postRobot(text, msgId("case"));
    await h.settle();
    expect(actionCardOf(sessionBody()).title).toBe(title);
  });
});

describe("DingTalk outage", () => {
  it("retries a reply through 429 and 500 on each drain once its time has come, and delivers it once", async () => {
    fakes.dingtalk.fail({ count: 1, status: 429, pathPrefix: SESSION_PATH });
    fakes.dingtalk.fail({ count: 2, status: 500, pathPrefix: SESSION_PATH });
    await postRobot("/help", msgId("outage"));
    await h.settle();
    expect(fakes.dingtalk.delivered).toHaveLength(0);
    expect((await h.inboxRows())[0]?.status).toBe("done");
    expect(await h.outboxRows()).toMatchObject([{ status: "pending", attempts: 1 }]);
    expect((await h.services.outbox.drain()).sent).toBe(0);

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
    expect(
      fakes.dingtalk.requests.filter((r) => r.path.startsWith(SESSION_PATH)).map((r) => r.status),
    ).toEqual([429, 500, 500, 200]);
    expect(deliveredPaths()).toEqual([SESSION_PATH]);
    expect(await h.outboxRows()).toMatchObject([{ status: "sent", attempts: 4 }]);
  });
});
