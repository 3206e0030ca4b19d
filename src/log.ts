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

/** How deep a cause chain is followed; a longer one (or a loop) ends in a marker. */
const MAX_CAUSES = 8;

/**
 * An error as name, message and code, then the same for each cause underneath it. A cause that is not an Error
 * shows only its type, and a SyntaxError loses the input it quotes: payloads never go into a log line.
 */
function describeError(error: Error, depth: number): Record<string, unknown> {
  const described: Record<string, unknown> = {
    name: error.name,
    // JSON.parse quotes the text around the mistake: that is payload, so only the mistake stays.
    message: error instanceof SyntaxError ? error.message.replace(/"[\s\S]*"/u, '"[input]"') : error.message,
    code: (error as { code?: unknown }).code,
  };
  if (!("cause" in error) || error.cause === undefined) return described;
  const { cause } = error;
  if (depth >= MAX_CAUSES) described.cause = { name: "CauseChainTooDeep" };
  else if (cause instanceof Error) described.cause = describeError(cause, depth + 1);
  else described.cause = { name: "NotAnError", type: typeof cause };
  return described;
}

/**
 * The causes under an error on one line, each as " ← Name: message" (empty when it has none), for text that
 * states an error by hand: a stored last error, the console at start-up.
 */
export function causeText(error: unknown): string {
  if (!(error instanceof Error)) return "";
  let text = "";
  let cause = describeError(error, 0).cause as Record<string, unknown> | undefined;
  while (cause) {
    text += ` ← ${cause.name}${cause.message === undefined ? "" : `: ${cause.message}`}`;
    cause = cause.cause as Record<string, unknown> | undefined;
  }
  return text;
}

function serialiseError(value: unknown): unknown {
  return value instanceof Error ? describeError(value, 0) : value;
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
