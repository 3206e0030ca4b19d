// The Node server as a process. With process.env read here and in the config parser only.
import { ConfigError, parseEnv } from "../../config/parse-env.ts";
import { causeText, createLogger } from "../../log.ts";
import { secretsOf } from "../compose/secrets.ts";
import { DataDirBusyError } from "./data-dir-lock.ts";
import type { DevTools } from "./dev-tools.ts";
import { startNodeServer } from "./server.ts";

async function main(devTools: DevTools | undefined): Promise<void> {
  const config = parseEnv(process.env);
  const log = createLogger({ secrets: secretsOf(config) });
  const server = await startNodeServer({ config, log, ...(devTools ? { devTools } : {}) });
  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      log.warn("server.forced_exit", { signal });
      process.exit(1);
    }
    server.shutdown().then(
      () => process.exit(0),
      (error) => {
        log.error("server.shutdown_failed", { error });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** Starts the server, with the development tool `devTools` mounted when given. */
export function runNode(devTools?: DevTools): void {
  main(devTools).catch(failedToStart);
}

function failedToStart(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(`opsbot: ${error.message}`);
  } else if (error instanceof DataDirBusyError) {
    console.error(
      `opsbot: ${error.message} (another opsbot is running on it${error.owner.port ? ` at port ${error.owner.port}` : ""}); ` +
        "stop it, or point DATA_DIR elsewhere",
    );
  } else {
    console.error(
      `opsbot: could not start: ${error instanceof Error ? `${error.message}${causeText(error)}` : String(error)}`,
    );
  }
  process.exit(1);
}
