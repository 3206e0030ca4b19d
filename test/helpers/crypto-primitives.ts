// Both sets of verifier crypto, for tests that must hold on each: Web Crypto (Workers, the default) and node:crypto.
import { nodeCryptoPrimitives } from "../../src/entry/node/node-crypto.ts";
import type { CryptoPrimitives } from "../../src/platforms/shared/crypto-primitives.ts";
import { webCryptoPrimitives } from "../../src/platforms/shared/web-crypto.ts";

export const EVERY_PRIMITIVES: [string, CryptoPrimitives][] = [
  ["Web Crypto", webCryptoPrimitives],
  ["node:crypto", nodeCryptoPrimitives],
];
