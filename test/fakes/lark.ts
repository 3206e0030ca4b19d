// A fake Lark open platform over real HTTP: the shared fake API (lark-api.ts) on a loopback server.

import type { FakeRequest } from "./fake-api.ts";
import { type FakePlatform, type FakeServerOptions, startFakeServer } from "./fake-platform.ts";
import { createFakeLarkApi, type FakeLarkOptions } from "./lark-api.ts";
import type { FakeLarkGateway } from "./lark-gateway.ts";

export type { FakeLarkOptions };

export interface FakeLark extends FakePlatform {
  /** Tenant tokens issued so far, in order. */
  readonly tokensIssued: string[];
  /** Makes every issued token invalid (as after a rotation): the next call gets 99991663. */
  revokeTokens(): void;
}

/**
 * Starts the fake; message ids come out as om_1, om_2, … With a `gateway`, the same base URL also answers
 * the long connection's endpoint exchange, as Lark's does.
 */
export async function startFakeLark(
  options: FakeLarkOptions & FakeServerOptions & { gateway?: FakeLarkGateway },
): Promise<FakeLark> {
  const api = createFakeLarkApi(options);
  const { gateway } = options;
  const route = gateway ? (request: FakeRequest) => gateway.route(request) ?? api.route(request) : api.route;
  const server = await startFakeServer(route, api.isTokenRequest, options);
  return Object.assign(server, { tokensIssued: api.tokensIssued, revokeTokens: api.revokeTokens });
}
