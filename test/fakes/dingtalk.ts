// A fake DingTalk API over real HTTP: the shared fake API (dingtalk-api.ts) on a loopback server.
import { createFakeDingTalkApi, type FakeDingTalkApi, type FakeDingTalkOptions } from "./dingtalk-api.ts";
import type { FakeDingTalkGateway } from "./dingtalk-gateway.ts";
import type { FakeRequest } from "./fake-api.ts";
import { type FakePlatform, type FakeServerOptions, startFakeServer } from "./fake-platform.ts";

export type { FakeDingTalkOptions };

export interface FakeDingTalk
  extends FakePlatform,
    Pick<FakeDingTalkApi, "revokeTokens" | "tokensIssued" | "cards" | "callbackRoutes"> {
  /** A sessionWebhook URL (as a robot message would carry) that posts to this fake. */
  sessionWebhookUrl(session?: string): string;
}

/** With a `gateway`, the same base URL also opens Stream connections, as DingTalk's does. */
export async function startFakeDingTalk(
  options: FakeDingTalkOptions & FakeServerOptions & { gateway?: FakeDingTalkGateway },
): Promise<FakeDingTalk> {
  const api = createFakeDingTalkApi(options);
  const { gateway } = options;
  const route = gateway ? (request: FakeRequest) => gateway.route(request) ?? api.route(request) : api.route;
  const platform = await startFakeServer(route, api.isTokenRequest, options);
  return {
    ...platform,
    sessionWebhookUrl(session = "session-1") {
      api.openSession(session);
      return `${platform.url}/robot/sendBySession?session=${encodeURIComponent(session)}`;
    },
    revokeTokens: api.revokeTokens,
    tokensIssued: api.tokensIssued,
    cards: api.cards,
    callbackRoutes: api.callbackRoutes,
  };
}
