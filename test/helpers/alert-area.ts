// One alert-sweeping integration file in a line: a database per file and, per test, emptied tables, a recorder of
// what the platforms were sent, a bot instance on its manual clock and the managers' alert group subscribed.
import { beforeEach } from "vitest";
import type { Actor } from "../../src/domain/actor.ts";
import type { Role } from "../../src/domain/people/role.ts";
import {
  type Instance,
  type Sent,
  startInstance,
  subscribeAlertGroup,
} from "../integration/alerts/support.ts";
import { type TestDatabase, useTestDatabase } from "./database.ts";
import { need } from "./need.ts";

export interface AlertAreaOptions {
  /** Where each test's bot clock starts. */
  start: Date;
  /** When the alert group was subscribed; default `start`. */
  subscribedAt?: Date;
}

export interface AlertArea {
  readonly database: TestDatabase;
  /** What the platforms were sent in this test, in order. */
  readonly sent: Sent[];
  /** This test's bot (fresh in each). */
  readonly bot: Instance;
}

/** Registers the file's hooks and returns live accessors; a file's own `beforeEach` runs after this one. */
export function useAlertArea(options: AlertAreaOptions): AlertArea {
  const area = useTestDatabase();
  let sent: Sent[] = [];
  let bot: Instance | undefined;

  beforeEach(async () => {
    const db = area.database;
    sent = [];
    bot = startInstance(db, sent, options.start);
    await subscribeAlertGroup(db, options.subscribedAt ?? options.start);
  });

  return {
    get database() {
      return area.database;
    },
    get sent() {
      return sent;
    },
    get bot() {
      return need(bot, "bot");
    },
  };
}

/**
 * The actor of a file's domain calls: one Lark person with fixed roles, read through `personId` because the
 * person is made afresh in each test; every call gets a message id of its own under `prefix`.
 */
export function larkActor(
  prefix: string,
  who: { personId: () => number; name: string; roles: readonly Role[] },
): (at: Date) => Actor {
  let message = 0;
  return (at) => ({
    personId: who.personId(),
    name: who.name,
    roles: who.roles,
    platform: "lark",
    platformMessageId: `om_${prefix}_${++message}`,
    at,
  });
}
