// The value a file-level test hook set, or a clear failure when a test reads it outside a test.
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the ${what} is used outside a test`);
  return value;
}
