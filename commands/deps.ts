// What command handlers may use: the database, the clock, the business time zone and the outbox.
import type { Clock } from "../src/clock.ts";
import type { Config } from "../src/config/parse-env.ts";
import type { Database } from "../src/db/database.ts";
import type { Logger } from "../src/log.ts";
import type { Outbox } from "../src/outbox/outbox.ts";

export interface CommandDeps {
  database: Database;
  config: Config;
  now: Clock;
  outbox: Outbox;
  log: Logger;
}
