// `npm run dingtalk:register-cards -- https://<your-host>`: registers the card callback URL with DingTalk, once.
import { systemClock } from "../../clock.ts";
import { parseEnv } from "../../config/parse-env.ts";
import { createDingTalkApi } from "../../platforms/dingtalk/api.ts";

async function main(): Promise<number> {
  const host = process.argv[2];
  const config = parseEnv(process.env);
  if (!host || !/^https:\/\//.test(host)) {
    console.error("usage: npm run dingtalk:register-cards -- https://<your-host>");
    return 2;
  }
  if (!config.dingtalk?.cardTemplateId || !config.dingtalk.cardCallbackSecret) {
    console.error(
      "set the DingTalk credentials, DINGTALK_CARD_TEMPLATE_ID and DINGTALK_CARD_CALLBACK_SECRET first",
    );
    return 2;
  }
  const url = `${host.replace(/\/+$/, "")}/webhooks/dingtalk/cards`;
  const api = createDingTalkApi({
    config: config.dingtalk,
    fetch: globalThis.fetch.bind(globalThis),
    now: systemClock,
  });
  await api.registerCardCallback(url);
  console.log(`card callbacks now go to ${url}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`dingtalk:register-cards: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
