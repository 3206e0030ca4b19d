// `npm run job -- <job> [--at <ISO time>]`: runs one scheduled job once, now or as if the clock read --at.
import { parseArgs } from "node:util";
import { systemClock } from "../../clock.ts";
import { ConfigError, parseEnv } from "../../config/parse-env.ts";
import { JOBS } from "../../jobs/registry.ts";
import { createLogger } from "../../log.ts";
import { secretsOf } from "../compose/secrets.ts";
import { createServices } from "../compose/services.ts";
import { readLockOwner } from "./data-dir-lock.ts";
import { openConfiguredDatabase } from "./open-database.ts";

const usage = `usage: npm run job -- <job> [--at <ISO 8601 time>]\njobs: ${JOBS.map((job) => job.name).join(", ")}`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { at: { type: "string" } },
  });
  const name = positionals[0];
  if (!name || positionals.length > 1) fail(usage);
  if (!JOBS.some((job) => job.name === name)) fail(`unknown job "${name}"\n${usage}`);
  const at = values.at ? new Date(values.at) : undefined;
  if (at && Number.isNaN(at.getTime())) fail(`--at must be an ISO 8601 time, got "${values.at}"\n${usage}`);

  const config = parseEnv(process.env);
  const log = createLogger({ secrets: secretsOf(config) });

  // The embedded database belongs to the running server: hand the job over instead of opening it twice.
  if (!config.databaseUrl) {
    const owner = await readLockOwner(config.dataDir);
    if (owner) {
      if (!owner.port)
        fail(`the opsbot using ${config.dataDir} (pid ${owner.pid}) is still starting; try again`);
      const query = at ? `?at=${encodeURIComponent(at.toISOString())}` : "";
      const response = await fetch(`http://127.0.0.1:${owner.port}/admin/jobs/${name}${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${owner.token}` },
      });
      const outcome = (await response.json()) as { ok?: boolean; summary?: string; error?: string };
      console.log(`${name} (run by the server, pid ${owner.pid}): ${outcome.summary ?? outcome.error}`);
      return outcome.ok ? 0 : 1;
    }
  }

  const { database, release } = await openConfiguredDatabase(config);
  try {
    await database.migrate();
    const services = createServices({ config, database, log, now: systemClock, background: () => {} });
    const outcome = await services.runJobNow(name, at ?? systemClock(), "cli");
    console.log(`${name}: ${outcome?.summary}`);
    return outcome?.ok ? 0 : 1;
  } finally {
    await database.close();
    await release();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(
      `job: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
