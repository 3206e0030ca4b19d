// Every configured secret, token and key: what the logger must never print.
import type { Config } from "../../config/parse-env.ts";

export function secretsOf(config: Config): string[] {
  const values = [
    config.lark?.appSecret,
    config.lark?.encryptKey,
    config.lark?.verificationToken,
    config.dingtalk?.clientSecret,
    config.dingtalk?.cardCallbackSecret,
    config.wecom?.secret,
    config.wecom?.token,
    config.wecom?.encodingAesKey,
    config.wecomBot?.token,
    config.wecomBot?.encodingAesKey,
    config.wecomBotConnection?.secret,
  ];
  if (config.databaseUrl) {
    const password = new URL(config.databaseUrl).password;
    if (password) values.push(decodeURIComponent(password));
  }
  return values.filter((value): value is string => !!value);
}
