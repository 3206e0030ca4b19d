// Scans every line the servers print for every configured secret, token and key, in the forms logs could carry.
export interface SecretScan {
  /** Adds values learnt during the run (issued access tokens, the admin token). */
  add(values: Iterable<string>): void;
  scan(line: string): void;
  readonly lines: number;
  /** Lines that held a secret in some form. */
  readonly hits: number;
  /** Which secret (by its position, never its value) leaked, in which form, at most five. */
  readonly examples: string[];
}

/** The secret as it would look in JSON, base64, base64url and a URL query. */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    bytes.toString("base64"),
    bytes.toString("base64url"),
    encodeURIComponent(secret),
  ];
}

/** Values shorter than this would match by chance; every configured secret is longer. */
const MIN_SECRET_LENGTH = 8;

export function createSecretScan(initial: Iterable<string>): SecretScan {
  const forms = new Map<string, string>();
  let lines = 0;
  let hits = 0;
  const examples: string[] = [];
  const add = (values: Iterable<string>) => {
    for (const secret of values) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      const index = forms.size;
      for (const [form, name] of formsOf(secret).map((form, i) => [form, `secret ${index} form ${i}`]))
        if (!forms.has(form as string)) forms.set(form as string, name as string);
    }
  };
  add(initial);
  return {
    add,
    scan(line) {
      lines++;
      for (const [form, name] of forms) {
        if (!line.includes(form)) continue;
        hits++;
        const event = /"event":"([^"]+)"/.exec(line)?.[1];
        if (examples.length < 5)
          examples.push(`${name} in ${event ? `a ${event} line` : "a line that is not JSON"}`);
        return;
      }
    },
    get lines() {
      return lines;
    },
    get hits() {
      return hits;
    },
    get examples() {
      return examples;
    },
  };
}
