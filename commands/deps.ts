// What command handlers may use: the domain services (bound to the database and the outbox), the config, the
// clock and the log; and the one place they are bound, from what the runtime holds.
import type { Clock } from "../src/clock.ts";
import type { Config } from "../src/config/parse-env.ts";
import type { Database } from "../src/db/database.ts";
import { createDomainServices, type DomainServices } from "../src/domain/services.ts";
import type { Logger } from "../src/log.ts";
import type { Outbox } from "../src/outbox/outbox.ts";

export interface CommandDeps {
  services: DomainServices;
  config: Config;
  now: Clock;
  log: Logger;
}

/** What the runtime hands the commands: its database and outbox, which only the domain services see. */
export interface RuntimeDeps extends Omit<CommandDeps, "services"> {
  database: Database;
  outbox: Outbox;
}

export const commandDeps = ({ database, outbox, ...rest }: RuntimeDeps): CommandDeps => ({
  ...rest,
  services: createDomainServices({ db: database.db, outbox, urgent: rest.config.urgent === true }),
});
