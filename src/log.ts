// Structured one-line JSON logs; every configured secret is masked before a line is written.
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Values that must never appear in a log line (app secrets, tokens, keys). */
  secrets?: string[];
  /** Where lines go; defaults to stdout / stderr. */
  write?: (line: string, level: LogLevel) => void;
  /** Timestamps for the lines. */
  now?: () => Date;
  minLevel?: LogLevel;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const defaultWrite = (line: string, level: LogLevel) => {
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
};

function serialiseError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return { name: error.name, message: error.message, code: (error as { code?: unknown }).code };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  // Longest first, so a secret that contains another is masked whole; very short values would mask noise.
  // Each secret also in its JSON-escaped spelling, since lines are masked after serialising.
  const secrets = [...new Set((options.secrets ?? []).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))]
    .filter((s) => s.length >= 6)
    .sort((a, b) => b.length - a.length);
  const write = options.write ?? defaultWrite;
  const now = options.now ?? (() => new Date());
  const min = ORDER[options.minLevel ?? "info"];
  const emit = (level: LogLevel, event: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const record: Record<string, unknown> = { time: now().toISOString(), level, event };
    for (const [key, value] of Object.entries(fields ?? {})) record[key] = serialiseError(value);
    let line = JSON.stringify(record);
    for (const secret of secrets) line = line.split(secret).join("[redacted]");
    write(line, level);
  };
  return {
    debug: (event, fields) => emit("debug", event, fields),
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
  };
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ write: () => {} });
