// The fan-out bench's fake platform in a process of its own, driven over IPC by bench/fan-out.ts.
// A real platform is remote: sharing the outbox's event loop would stamp arrivals late whenever the outbox or
// its database work held the loop, and the fake's sliding window would then see sends bunched that were not.
import { startFakeDingTalk } from "../test/fakes/dingtalk.ts";
import type { FakePlatform } from "../test/fakes/fake-platform.ts";
import { startFakeLark } from "../test/fakes/lark.ts";
import { DINGTALK_RATE_LIMITS, LARK_RATE_LIMITS, WECOM_RATE_LIMITS } from "../test/fakes/rate-limits.ts";
import { startFakeWeCom } from "../test/fakes/wecom.ts";

/** Which fake to start, with the credentials the bench's adapter uses. */
export type FakeSpec =
  | { platform: "lark"; appId: string; appSecret: string }
  | { platform: "dingtalk"; clientId: string; clientSecret: string; robotCode: string }
  | { platform: "wecom"; corpId: string; secret: string; agentId: string; webhookKeys: string[] };

/** What the fake saw of one request. */
export interface Arrival {
  path: string;
  status: number;
  delivered: boolean;
  rateLimited: boolean;
  /** Arrival time, ms since the epoch (the child's clock is the machine's, as the parent's). */
  at: number;
}

export type ToFake = { kind: "start"; spec: FakeSpec; expected: number } | { kind: "requests" };

export type FromFake =
  | { kind: "started"; url: string }
  | { kind: "delivered"; count: number }
  | { kind: "requests"; requests: Arrival[] };

/** How often the child looks whether every expected message arrived; it only reads an array's length. */
const CHECK_MS = 20;

function startFake(spec: FakeSpec): Promise<FakePlatform> {
  switch (spec.platform) {
    case "lark":
      return startFakeLark({ ...spec, rateLimits: LARK_RATE_LIMITS });
    case "dingtalk":
      return startFakeDingTalk({ ...spec, rateLimits: DINGTALK_RATE_LIMITS });
    case "wecom": {
      const [webhookKey, ...otherWebhookKeys] = spec.webhookKeys;
      return startFakeWeCom({ ...spec, webhookKey, otherWebhookKeys, rateLimits: WECOM_RATE_LIMITS });
    }
  }
}

const send = (message: FromFake) => process.send?.(message);

let fake: FakePlatform | undefined;
process.on("message", (message: ToFake) => {
  if (message.kind === "requests") {
    send({
      kind: "requests",
      requests: (fake?.requests ?? []).map(({ path, status, delivered, rateLimited, at }) => ({
        path,
        status,
        delivered,
        rateLimited,
        at,
      })),
    });
    return;
  }
  void startFake(message.spec).then((started) => {
    fake = started;
    send({ kind: "started", url: started.url });
    const check = setInterval(() => {
      if (started.delivered.length < message.expected) return;
      clearInterval(check);
      send({ kind: "delivered", count: started.delivered.length });
    }, CHECK_MS);
  });
});
// The parent went away (done, or it died): nothing is left to answer.
process.on("disconnect", () => {
  void (fake?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
