// Values from a payload as plain text: scalars as text, anything nested dropped (our cards never send it,
// and serialising attacker-controlled nesting would only cost stack).
export function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}
