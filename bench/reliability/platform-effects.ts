// Counts what users saw and what the business got: replies and redrawn cards at the fake platforms, orders and complaints in the domain tables.
import { createHash } from "node:crypto";
import type { Db } from "../../src/db/database.ts";
import { complaints, orders } from "../../src/db/schema/index.ts";
import type { Fakes } from "../../test/helpers/e2e-harness.ts";
import type { TrafficEvent } from "./traffic.ts";

/** A count that should be exactly one per item: how many items, how many had none, how many more than one. */
export interface OnceCount {
  expected: number;
  missing: number;
  twice: number;
}

export interface PlatformEffects {
  /**
   * Acked messages, each owed one reply at the fake: Lark (reply to the message), DingTalk (its session
   * webhook), WeCom robot (its single-use response_url) counted per message; WeCom app counted per person, as
   * the app sends to a person and not to a message.
   */
  replies: OnceCount;
  /**
   * Acked card clicks (Lark, DingTalk), each owed its card redrawn once: in the click's answer or by an update
   * call at the fake. Counted per card: several clicks on one Lark card are told apart only by their answers.
   */
  cards: OnceCount;
  /** Acked order and complaint commands, each owed one row holding its own words. */
  rows: OnceCount;
  /**
   * Of the replies seen twice, those sent once before the server died and once after its restart through an API
   * that takes no idempotency key (DingTalk's session webhook): a send whose answer died with the process cannot
   * be told from a lost one, so the restarted server sends it again and the group sees it twice.
   */
  resentAcrossRestart: number;
  examples: string[];
}

/** What a load left to count: the distinct acked events, and per click how many of its answers carried the card. */
export interface AckedEvents {
  acked: Iterable<TrafficEvent>;
  cardsInAck: ReadonlyMap<string, number>;
  /** When the server was killed and restarted: how many deliveries the DingTalk fake had taken by the restart. */
  dingtalkDeliveredBeforeRestart?: number;
}

/** The number the traffic put into an event's customer (`ACME-<n>`): the end of its token `<run>x<n>`. */
const customerOf = (event: TrafficEvent) => `ACME-${event.token.split("x").at(-1)}`;

/**
 * A DingTalk reply that fits a card goes out as one, its outTrackId starting with a digest of the reply's key
 * (so that DingTalk ignores a second create): that start names the message it answers.
 */
const dingtalkReplyCard = (event: TrafficEvent) =>
  createHash("sha256").update(`reply:${event.dedupKey}`).digest("hex").slice(0, 24);

/** DingTalk's session webhook: a reply sent there carries nothing the platform could deduplicate it by. */
const sessionWebhookOf = (event: TrafficEvent) => `/robot/sendBySession?session=s-${event.token}`;

/** The places at the fake where the reply to one message may land, when replies go to messages. */
function replyPlacesOf(event: TrafficEvent): string[] {
  if (event.kind === "larkMessage") return [`/open-apis/im/v1/messages/${event.messageId}/reply`];
  if (event.kind === "dingtalkMessage") return [sessionWebhookOf(event), `card ${dingtalkReplyCard(event)}`];
  if (event.kind === "wecomBot" && event.replyPath) return [event.replyPath];
  return [];
}

const tally = <K>(keys: Iterable<K>) => {
  const counts = new Map<K, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
};

const field = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;

export async function readPlatformEffects(db: Db, fakes: Fakes, load: AckedEvents): Promise<PlatformEffects> {
  const events = [...load.acked];
  const delivered = [...fakes.lark.delivered, ...fakes.dingtalk.delivered, ...fakes.wecom.delivered];
  const pathOnly = (path: string) => path.split("?")[0];
  const atPlace = tally(
    delivered.map(({ path, body }) =>
      pathOnly(path) === "/v1.0/card/instances/createAndDeliver"
        ? `card ${String(field(body, "outTrackId")).split(".")[0]}`
        : path,
    ),
  );
  const restart = load.dingtalkDeliveredBeforeRestart;
  const sessionSendsAfterRestart =
    restart === undefined
      ? new Map<string, number>()
      : tally(fakes.dingtalk.delivered.slice(restart).map(({ path }) => path));
  const cardOfToken = new Map(events.map((event) => [event.cardToken, event.cardId]));
  const appRepliesTo = tally(
    fakes.wecom.delivered
      .filter(({ path }) => pathOnly(path) === "/cgi-bin/message/send")
      .map(({ body }) => String(field(body, "touser"))),
  );
  const cardUpdates = tally(
    delivered.flatMap(({ path, body }) => {
      const patched = /^\/open-apis\/im\/v1\/messages\/(om_card_[^/?]+)$/.exec(pathOnly(path) ?? "");
      if (patched) return [patched[1]];
      if (pathOnly(path) === "/open-apis/interactive/v1/card/update")
        return [cardOfToken.get(String(field(body, "token")))];
      if (pathOnly(path) === "/v1.0/card/instances") return [String(field(body, "outTrackId"))];
      return [];
    }),
  );
  const ordersOf = tally(
    (await db.select({ customer: orders.customer }).from(orders)).map((row) => row.customer),
  );
  const complaintsOf = tally(
    (await db.select({ description: complaints.description }).from(complaints)).map(
      (row) => row.description.split(" ").at(-1) ?? "",
    ),
  );

  const report: PlatformEffects = {
    replies: { expected: 0, missing: 0, twice: 0 },
    cards: { expected: 0, missing: 0, twice: 0 },
    rows: { expected: 0, missing: 0, twice: 0 },
    resentAcrossRestart: 0,
    examples: [],
  };
  const check = (count: OnceCount, found: number, what: string, expected = 1) => {
    count.expected += expected;
    const short = Math.max(expected - found, 0);
    const over = Math.max(found - expected, 0);
    count.missing += short;
    count.twice += over;
    if ((short || over) && report.examples.length < 5)
      report.examples.push(`${what}: ${found} at the ${expected === 1 ? "fake" : `fake for ${expected}`}`);
  };

  const appMessagesFrom = tally(events.filter((event) => event.kind === "wecomApp").map((e) => e.sender));
  for (const [person, expected] of appMessagesFrom)
    check(report.replies, appRepliesTo.get(person ?? "") ?? 0, `WeCom app replies to ${person}`, expected);
  const clicks = events.filter((event) => event.cardId);
  const clicksOn = tally(clicks.map((event) => event.cardId));
  // A platform shows the card of the answer it took: it delivers a click again only when it did not take the
  // one before, so a click whose answers carried its card (once or on each delivery) shows it once.
  const shownInAnswers = tally(
    clicks.flatMap((event) => ((load.cardsInAck.get(event.dedupKey) ?? 0) > 0 ? [event.cardId] : [])),
  );
  for (const [card, expected] of clicksOn) {
    const shown = (shownInAnswers.get(card) ?? 0) + (cardUpdates.get(card) ?? 0);
    check(report.cards, shown, `card ${card} redrawn`, expected);
  }
  for (const event of events) {
    const places = replyPlacesOf(event);
    if (places.length > 0) {
      const found = places.reduce((sum, place) => sum + (atPlace.get(place) ?? 0), 0);
      check(report.replies, found, `replies to ${event.dedupKey}`);
      if (event.kind === "dingtalkMessage" && found === 2) {
        const session = sessionWebhookOf(event);
        const afterRestart = sessionSendsAfterRestart.get(session) ?? 0;
        if (atPlace.get(session) === 2 && afterRestart === 1) report.resentAcrossRestart += 1;
      }
    }
    if (event.effect === "order")
      check(report.rows, ordersOf.get(customerOf(event)) ?? 0, `orders of ${event.dedupKey}`);
    if (event.effect === "complaint")
      check(report.rows, complaintsOf.get(event.token) ?? 0, `complaints of ${event.dedupKey}`);
  }
  return report;
}

/** Everything owed and not seen, and everything seen more than once, over replies, cards and rows. */
export const lostOf = (effects: PlatformEffects) =>
  effects.replies.missing + effects.cards.missing + effects.rows.missing;
export const duplicatedOf = (effects: PlatformEffects) =>
  effects.replies.twice + effects.cards.twice + effects.rows.twice;
