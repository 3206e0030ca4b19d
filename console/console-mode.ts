// Which platforms the local console stands in for: all of them, and only while no real platform is configured.
import { PLATFORMS, type PlatformId } from "../src/chat/events.ts";
import { type Config, configuredPlatforms } from "../src/config/parse-env.ts";

/**
 * Empty when the console is off: always with OPS_CONSOLE=off, and as soon as any real platform is configured
 * (OPS_CONSOLE=on next to one is refused by the config parser: the console never touches a real tenant's data).
 */
export function consolePlatforms(config: Config): PlatformId[] {
  if (config.console === "off" || configuredPlatforms(config).length > 0) return [];
  return [...PLATFORMS];
}
