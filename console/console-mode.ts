// Which platforms the local console stands in for: all when none is configured, the missing ones with OPS_CONSOLE=on.
import { PLATFORMS, type PlatformId } from "../src/chat/events.ts";
import type { Config } from "../src/config/parse-env.ts";

const isConfigured = (config: Config, platform: PlatformId): boolean =>
  platform === "wecom"
    ? !!(config.wecom || config.wecomBot || config.wecomBotConnection)
    : !!config[platform];

/**
 * Empty when the console is off: always with OPS_CONSOLE=off, and by default as soon as any real platform is
 * configured (a production server never grows a console it was not asked for).
 */
export function consolePlatforms(config: Config): PlatformId[] {
  if (config.console === "off") return [];
  const missing = PLATFORMS.filter((platform) => !isConfigured(config, platform));
  if (config.console === "on") return missing;
  return missing.length === PLATFORMS.length ? missing : [];
}
