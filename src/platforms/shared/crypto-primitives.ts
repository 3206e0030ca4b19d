// The hashing, MAC and cipher steps of the platform verifiers as one injectable set: Web Crypto by default (it
// runs on Workers), and a node:crypto set from the Node entry, where the same steps run synchronously.

/** A value now (node:crypto) or later (Web Crypto): callers await either. */
export type Awaitable<T> = T | Promise<T>;

/** An AES-256-CBC key, imported once and used for every message it opens or seals. */
export interface AesCbcKey {
  /** Decrypts and strips PKCS#7 padding on 16-byte blocks; throws on anything that is not padded so. */
  decrypt(iv: Uint8Array, cipherText: Uint8Array): Awaitable<Uint8Array>;
  /** Decrypts whole blocks and leaves the padding to the caller (WeCom pads to 32 bytes, not 16). */
  decryptRaw(iv: Uint8Array, cipherText: Uint8Array): Awaitable<Uint8Array>;
  /** Encrypts input the caller has already padded to whole 16-byte blocks; the output is as long. */
  encryptRaw(iv: Uint8Array, plainText: Uint8Array): Awaitable<Uint8Array>;
}

export interface CryptoPrimitives {
  sha1(data: Uint8Array): Awaitable<Uint8Array>;
  sha256(data: Uint8Array): Awaitable<Uint8Array>;
  hmacSha256(key: Uint8Array, data: Uint8Array): Awaitable<Uint8Array>;
  /** Throws unless `key` is 32 bytes. */
  aesCbcKey(key: Uint8Array): AesCbcKey;
  /** Compares two strings in time that depends only on their lengths. */
  timingSafeEqual(a: string, b: string): boolean;
}

/**
 * One value per set of primitives and secret, made on first use: a key derived and imported once serves every
 * request that secret signs or seals. Secrets come from the configuration only, so the map stays small.
 */
export function perSecret<T>(make: (primitives: CryptoPrimitives, secret: string) => T) {
  const made = new WeakMap<CryptoPrimitives, Map<string, T>>();
  return (primitives: CryptoPrimitives, secret: string): T => {
    let bySecret = made.get(primitives);
    if (!bySecret) {
      bySecret = new Map();
      made.set(primitives, bySecret);
    }
    let value = bySecret.get(secret);
    if (value === undefined) {
      value = make(primitives, secret);
      bySecret.set(secret, value);
    }
    return value;
  };
}
