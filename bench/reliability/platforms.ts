// The three fake platform APIs, each behind an outage proxy, and the environment that points servers at them.
import { DINGTALK, envFor, type Fakes, LARK, startFakes, WECOM } from "../../test/helpers/e2e-harness.ts";
import { type OutageProxy, startOutageProxy } from "./outage-proxy.ts";
import { createSecretScan, type SecretScan } from "./secret-scan.ts";

type PlatformName = "lark" | "dingtalk" | "wecom";

/** The bootstrap admins of every run: one per platform, who subscribes groups to the digest and alerts. */
export const ADMINS = { lark: "ou_admin", dingtalk: "staff_admin", wecom: "wecom_admin" } as const;

export interface Platforms {
  fakes: Fakes;
  proxies: Record<PlatformName, OutageProxy>;
  /** Every platform channel on, every API base at its proxy, the admins set. */
  env: Record<string, string>;
  /** A DingTalk session webhook at the proxy, live at the fake. */
  sessionWebhookUrl(session: string): string;
  /** A single-use WeCom robot response_url at the proxy. */
  responseUrl(): string;
  /** A WeCom group-robot webhook URL at the proxy. */
  wecomWebhookUrl(): string;
  down(statuses: number[]): void;
  /** Every platform acts on each call and its answer is lost (see OutageProxy.loseAnswers). */
  loseAnswers(): void;
  up(): void;
  close(): Promise<void>;
}

/** The same path on another origin: the server only posts to URLs on its configured API base. */
const viaProxy = (url: string, proxy: OutageProxy) => {
  const parsed = new URL(url);
  return `${proxy.url}${parsed.pathname}${parsed.search}`;
};

export async function startPlatforms(): Promise<Platforms> {
  const fakes = await startFakes();
  const [lark, dingtalk, wecom] = await Promise.all([
    startOutageProxy(fakes.lark.url),
    startOutageProxy(fakes.dingtalk.url),
    startOutageProxy(fakes.wecom.url),
  ]);
  const proxies = { lark, dingtalk, wecom };
  const env = {
    ...envFor(proxies, ["lark", "dingtalk", "dingtalkCards", "wecom", "wecomBot"]),
    OPS_ADMINS: `lark:${ADMINS.lark},dingtalk:${ADMINS.dingtalk},wecom:${ADMINS.wecom}`,
  };
  return {
    fakes,
    proxies,
    env,
    sessionWebhookUrl: (session) => viaProxy(fakes.dingtalk.sessionWebhookUrl(session), dingtalk),
    responseUrl: () => viaProxy(fakes.wecom.responseUrl(), wecom),
    wecomWebhookUrl: () => `${wecom.url}/cgi-bin/webhook/send?key=${fakes.wecom.webhookKey}`,
    down(statuses) {
      for (const proxy of Object.values(proxies)) proxy.down(statuses);
    },
    loseAnswers() {
      for (const proxy of Object.values(proxies)) proxy.loseAnswers();
    },
    up() {
      for (const proxy of Object.values(proxies)) proxy.up();
    },
    async close() {
      await Promise.all([...Object.values(proxies).map((proxy) => proxy.close()), fakes.close()]);
    },
  };
}

/** Every credential the servers are given: what no log line may contain. */
const CONFIGURED_SECRETS: readonly string[] = [
  LARK.appSecret,
  LARK.encryptKey,
  LARK.verificationToken,
  DINGTALK.clientSecret,
  DINGTALK.cardCallbackSecret,
  WECOM.secret,
  WECOM.token,
  WECOM.encodingAesKey,
  WECOM.botToken,
  WECOM.botEncodingAesKey,
];

/** How the fakes' access tokens begin (Lark `t-fake-<n>`, DingTalk and WeCom `fake-token-<n>`): none may be logged. */
const ISSUED_TOKEN_PREFIXES = ["t-fake-", "fake-token-"];

/** A scan for every configured secret and every access token the fakes hand out. */
export const createRunSecretScan = (): SecretScan =>
  createSecretScan([...CONFIGURED_SECRETS, ...ISSUED_TOKEN_PREFIXES]);
