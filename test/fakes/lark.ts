// A fake Lark open platform over real HTTP: the shared fake API (lark-api.ts) on a loopback server.

import { type FakePlatform, type FakeServerOptions, startFakeServer } from "./fake-platform.ts";
import { createFakeLarkApi, type FakeLarkOptions } from "./lark-api.ts";

export type { FakeLarkOptions };

export interface FakeLark extends FakePlatform {
  /** Tenant tokens issued so far, in order. */
  readonly tokensIssued: string[];
  /** Makes every issued token invalid (as after a rotation): the next call gets 99991663. */
  revokeTokens(): void;
}

/** Starts the fake; message ids come out as om_1, om_2, … */
export async function startFakeLark(options: FakeLarkOptions & FakeServerOptions): Promise<FakeLark> {
  const api = createFakeLarkApi(options);
  const server = await startFakeServer(api.route, api.isTokenRequest, options);
  return Object.assign(server, { tokensIssued: api.tokensIssued, revokeTokens: api.revokeTokens });
}
