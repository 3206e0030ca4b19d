// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR.
import { ConfigError, parseEnv } from "../../config/parse-env.ts";
import { causeText } from "../../log.ts";
import { openConfiguredDatabase } from "./open-database.ts";

try {
  const config = parseEnv(process.env);
  const { database, release } = await openConfiguredDatabase(config);
  try {
    await database.migrate();
    console.log(
      `migrations applied (${database.mode === "postgres" ? "postgres" : `embedded PGlite in ${config.dataDir}`})`,
    );
  } finally {
    await database.close();
    await release();
  }
} catch (error) {
  console.error(
    error instanceof ConfigError || error instanceof Error
      ? `${error.message}${causeText(error)}`
      : String(error),
  );
  process.exitCode = 1;
}
