// Opens the long connection of every platform configured for one (Node only) and closes them on stop.
import type { Config } from "../../config/parse-env.ts";
import type { Logger } from "../../log.ts";
import { createDingTalkStream } from "../../platforms/dingtalk/long-connection.ts";
import { createLarkLongConnection } from "../../platforms/lark/long-connection.ts";
import type { AcceptEvent, LongConnection } from "../../platforms/long-connection.ts";
import { createWeComBotConnection } from "../../platforms/wecom/long-connection.ts";
import type { Adapters } from "../compose/adapters.ts";
import type { ConnectionHealth } from "./connection-health.ts";

export interface LongConnectionsDeps {
  config: Config;
  adapters: Adapters;
  acceptEvent: AcceptEvent;
  health: ConnectionHealth;
  log: Logger;
}

export async function startLongConnections(deps: LongConnectionsDeps): Promise<{ stop(): Promise<void> }> {
  const { config, adapters, acceptEvent, health, log } = deps;
  const connections: LongConnection[] = [];
  const reporter = (name: string) => {
    const report = health.reporter(name);
    return (state: Parameters<typeof report>[0]) => {
      log.info("connection.state", { platform: name, state });
      report(state);
    };
  };
  if (config.lark?.transport === "ws" && adapters.lark)
    connections.push(
      createLarkLongConnection({
        config: config.lark,
        adapter: adapters.lark,
        acceptEvent,
        report: reporter("lark"),
        log,
      }),
    );
  if (config.dingtalk?.transport === "stream" && adapters.dingtalk)
    connections.push(
      createDingTalkStream({
        config: config.dingtalk,
        adapter: adapters.dingtalk,
        acceptEvent,
        report: reporter("dingtalk"),
        log,
      }),
    );
  if (config.wecomBotConnection)
    connections.push(
      createWeComBotConnection({
        config: config.wecomBotConnection,
        acceptEvent,
        report: reporter("wecom"),
        log,
      }),
    );
  for (const connection of connections) await connection.start();
  return {
    async stop() {
      await Promise.all(connections.map((connection) => connection.stop()));
    },
  };
}
