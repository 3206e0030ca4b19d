// Builds the adapter's WebhookRequest from a signed Lark request, as the Hono app will.
import type { WebhookRequest } from "../../../../src/platforms/types.ts";
import { LARK_SIGNED_AT } from "../../../helpers/lark-signer.ts";

export function webhookRequest(
  signed: { body: string; headers: Record<string, string> },
  overrides: Partial<WebhookRequest> = {},
): WebhookRequest {
  return {
    route: "",
    method: "POST",
    url: new URL("https://bot.example.com/webhooks/lark"),
    headers: new Headers(signed.headers),
    body: new TextEncoder().encode(signed.body),
    now: LARK_SIGNED_AT,
    ...overrides,
  };
}
