// Shared set-up for the WeCom adapter tests: configs built on the published vectors, and request builders.
import type { WeComAppConfig, WeComBotConfig } from "../../../../src/config/parse-env.ts";
import type { WebhookRequest } from "../../../../src/platforms/types.ts";
import type { WeComSecrets } from "../../../helpers/wecom-signer.ts";
import { C1, C2 } from "./vectors.ts";

const API_BASE = "https://qyapi.weixin.qq.com";

/** The C1 corp as a self-built app. */
export const appConfig: WeComAppConfig = {
  corpId: C1.corpId,
  agentId: "218",
  secret: "app-secret-not-in-logs",
  token: C1.token,
  encodingAesKey: C1.encodingAesKey,
  apiBase: API_BASE,
};

/** An intelligent robot using the C2 key (receiveid ""). */
export const botConfig: WeComBotConfig = {
  token: "botToken42",
  encodingAesKey: C2.encodingAesKey,
  apiBase: API_BASE,
};

export const appSecrets: WeComSecrets = {
  token: appConfig.token,
  encodingAesKey: appConfig.encodingAesKey,
  receiveId: appConfig.corpId,
};

export const botSecrets: WeComSecrets = {
  token: botConfig.token,
  encodingAesKey: botConfig.encodingAesKey,
  receiveId: "",
};

/** A WebhookRequest as the Hono route hands it over: `path` is below /webhooks/wecom and includes the query. */
export function webhookRequest(options: {
  route?: string;
  method?: string;
  path: string;
  body?: string | Uint8Array<ArrayBuffer>;
  now: Date;
}): WebhookRequest {
  const body = options.body ?? "";
  return {
    route: options.route ?? "",
    method: options.method ?? "POST",
    url: new URL(options.path, "https://ops.example.com"),
    headers: new Headers(),
    body: typeof body === "string" ? new TextEncoder().encode(body) : body,
    now: options.now,
  };
}

/** A Date at `seconds` (a WeCom timestamp) plus `offsetMs`. */
export const at = (seconds: string, offsetMs = 0): Date => new Date(Number(seconds) * 1000 + offsetMs);
