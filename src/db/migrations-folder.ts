// Where drizzle-kit's generated SQL lives, resolved from this file so it works from any working directory.
import { fileURLToPath } from "node:url";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));
