// Edit distance, to suggest the command a user probably meant.

/**
 * Optimal-string-alignment distance over code points: insertions, deletions, substitutions and swaps of two
 * neighbours ("hepl" → "help") each count one; a Chinese character counts as one.
 */
function editDistance(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  const rows = Array.from({ length: left.length + 1 }, (_, i) =>
    Array.from({ length: right.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] as number;
  for (let i = 1; i <= left.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= right.length; j++) {
      const same = left[i - 1] === right[j - 1];
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (same ? 0 : 1));
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) {
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(left.length, right.length);
}

/**
 * The distance from what was typed to a name when it is close enough to be a typo (one edit for short
 * names, about one per three characters for longer ones); undefined otherwise.
 */
export function typoDistance(typed: string, name: string): number | undefined {
  const distance = editDistance(typed, name);
  return distance <= Math.max(1, Math.floor(Array.from(name).length / 3)) ? distance : undefined;
}
