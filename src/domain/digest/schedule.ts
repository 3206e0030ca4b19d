// Which subscribed groups are owed today's digest, and the key that makes each one send once.
import type { Db } from "../../db/database.ts";
import type { LocalDate } from "../calendar/local-time.ts";
import type { Recipient } from "../notifications/recipients.ts";
import { type TimedRecipient, timedRecipients } from "../notifications/timed-recipients.ts";
import { DEFAULT_DIGEST_TIME } from "../policy.ts";

/** The outbox key of one group's digest for one local day: the same on every instance, tick and rerun. */
export const digestKey = (recipient: Recipient, date: LocalDate): string =>
  `digest:${recipient.platform}:${recipient.chatId}:${date}`;

/** The reachable digest subscribers with their send times. */
export const digestRecipients = (db: Db): Promise<TimedRecipient[]> =>
  timedRecipients(db, "digest", DEFAULT_DIGEST_TIME);
