// Runs after every `npm install` / `npm ci` (postinstall): mends the connection queue of postgres.js 3.4.x.
//
// Its Queue marks a shifted slot `undefined` and only starts a fresh array once every element was shifted.
// A pool always has an idle connection left in its `open` queue, so under steady traffic that array grows by
// one slot per query, for good, and every query scans the whole of it (`remove` → `indexOf`): each query
// costs more than the one before (62 → 180 µs per `select 1` over 200,000 queries on the bench machine), and
// a server that runs for weeks spends its time scanning. The mended Queue searches only the live part and
// drops the shifted prefix once it is as long as the rest, so both stay bounded by the live elements.
//
// The replacement is made only where the file still holds the exact original; anything else is left alone
// and reported (test/unit/db/postgres-queue.test.ts fails then, and says why).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", "postgres");
/** The ES module build (Node, Bun), the CommonJS build and the Workers build share one queue.js each. */
const copies = ["src/queue.js", "cjs/src/queue.js", "cf/src/queue.js"];

const ORIGINAL_SHIFT = `    shift: () => {
      const out = xs[index++]

      if (index === xs.length) {
        index = 0
        xs = []
      } else {
        xs[index - 1] = undefined
      }

      return out
    }`;
const MENDED_SHIFT = `    shift: () => {
      const out = xs[index]
      xs[index++] = undefined

      if (index === xs.length) {
        index = 0
        xs = []
      } else if (index * 2 >= xs.length) {
        // opsbot: drop the shifted prefix once it is as long as the live part (amortised O(1) per shift)
        xs = xs.slice(index)
        index = 0
      }

      return out
    }`;
const ORIGINAL_REMOVE = `    remove: (x) => {
      const index = xs.indexOf(x)
      return index === -1
        ? null
        : (xs.splice(index, 1), x)
    },`;
const MENDED_REMOVE = `    remove: (x) => {
      // opsbot: only the live part can hold x; the shifted prefix is all \`undefined\`
      const at = xs.indexOf(x, index)
      return at === -1
        ? null
        : (xs.splice(at, 1), x)
    },`;

const MENDED_MARK = "opsbot:";

let failed = 0;
for (const copy of copies) {
  const path = join(root, copy);
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    // postgres is not installed (an install that omits it): nothing to mend.
    continue;
  }
  if (text.includes(MENDED_MARK)) continue;
  if (!text.includes(ORIGINAL_SHIFT) || !text.includes(ORIGINAL_REMOVE)) {
    console.warn(`postgres queue: ${copy} is not the known 3.4.x queue; left as it is`);
    failed++;
    continue;
  }
  writeFileSync(path, text.replace(ORIGINAL_SHIFT, MENDED_SHIFT).replace(ORIGINAL_REMOVE, MENDED_REMOVE));
}
if (failed === 0) console.log("postgres queue: mended");
