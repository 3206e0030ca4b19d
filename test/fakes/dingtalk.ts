// A fake DingTalk API over real HTTP: the shared fake API (dingtalk-api.ts) on a loopback server.
import { createFakeDingTalkApi, type FakeDingTalkApi, type FakeDingTalkOptions } from "./dingtalk-api.ts";
import { type FakePlatform, type FakeServerOptions, startFakeServer } from "./fake-platform.ts";

export type { FakeDingTalkOptions };

export interface FakeDingTalk
  extends FakePlatform,
    Pick<FakeDingTalkApi, "revokeTokens" | "tokensIssued" | "cards" | "callbackRoutes"> {
  /** A sessionWebhook URL (as a robot message would carry) that posts to this fake. */
  sessionWebhookUrl(session?: string): string;
}

export async function startFakeDingTalk(
  options: FakeDingTalkOptions & FakeServerOptions,
): Promise<FakeDingTalk> {
  const api = createFakeDingTalkApi(options);
  const platform = await startFakeServer(api.route, api.isTokenRequest, options);
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
