// Fake WeCom server API over real HTTP: the shared fake API (wecom-api.ts) on a loopback server.

import { type FakePlatform, type FakeServerOptions, startFakeServer } from "./fake-platform.ts";
import { createFakeWeComApi } from "./wecom-api.ts";

export interface FakeWeComOptions {
  corpId: string;
  secret: string;
  agentId: string;
  /** The group-robot key tests post to; keys that do not exist get 93000. */
  webhookKey?: string;
  /** More group robots that exist, e.g. one per group of a digest fan-out. */
  otherWebhookKeys?: readonly string[];
}

export interface FakeWeCom extends FakePlatform {
  readonly webhookKey: string;
  /** How many access tokens gettoken has issued. */
  readonly tokensIssued: number;
  /** From now on every token issued so far answers 42001 (expired). */
  expireTokens(): void;
  /** A single-use response_url, as a robot callback would carry. */
  responseUrl(): string;
}

export async function startFakeWeCom(options: FakeWeComOptions & FakeServerOptions): Promise<FakeWeCom> {
  const webhookKey = options.webhookKey ?? "693a91f6-7000-4bc4-97a0-0ec2f1a5aaaa";
  const api = createFakeWeComApi({
    ...options,
    webhookKeys: [webhookKey, ...(options.otherWebhookKeys ?? [])],
  });
  const server = await startFakeServer(api.route, api.isTokenRequest, options);
  return {
    ...server,
    webhookKey,
    get tokensIssued() {
      return api.tokensIssued;
    },
    expireTokens: api.expireTokens,
    responseUrl: () => `${server.url}/cgi-bin/aibot/response?response_code=${api.openResponseCode()}`,
  };
}
