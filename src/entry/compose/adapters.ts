// Builds the adapter of every configured platform from the typed configuration.
import type { PlatformId } from "../../chat/events.ts";
import type { Clock } from "../../clock.ts";
import type { Config } from "../../config/parse-env.ts";
import { createDingTalkAdapter } from "../../platforms/dingtalk/adapter.ts";
import { createLarkAdapter } from "../../platforms/lark/adapter.ts";
import type { CryptoPrimitives } from "../../platforms/shared/crypto-primitives.ts";
import type { PlatformAdapter } from "../../platforms/types.ts";
import { createWeComAdapter } from "../../platforms/wecom/adapter.ts";

export type Adapters = Partial<Record<PlatformId, PlatformAdapter>>;

/** `crypto`: the verifiers' primitives when the runtime has faster ones than Web Crypto (Node). */
export function createAdapters(
  config: Config,
  deps: { fetch?: typeof fetch; now: Clock; crypto?: CryptoPrimitives },
): Adapters {
  const adapters: Adapters = {};
  const fetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const crypto = deps.crypto ? { crypto: deps.crypto } : {};
  if (config.lark)
    adapters.lark = createLarkAdapter({ config: config.lark, fetch, now: deps.now, ...crypto });
  if (config.dingtalk)
    adapters.dingtalk = createDingTalkAdapter({ config: config.dingtalk, fetch, now: deps.now, ...crypto });
  if (config.wecom || config.wecomBot || config.wecomBotConnection) {
    adapters.wecom = createWeComAdapter({
      ...(config.wecom ? { app: config.wecom } : {}),
      ...(config.wecomBot ? { bot: config.wecomBot } : {}),
      ...(config.wecomBotConnection ? { apiBase: config.wecomBotConnection.apiBase } : {}),
      fetch,
      now: deps.now,
      ...crypto,
    });
  }
  return adapters;
}
