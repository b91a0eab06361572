import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new random connection key (URL- and subprotocol-safe). */
export function createConnectionKey(): string {
  return `sykey_${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a key: SHA-256, hex. */
export function hashConnectionKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether `key` is the key whose hash is `hash`, in constant time. */
export function connectionKeyMatches(
  key: string,
  hash: string | undefined,
): boolean {
  if (!hash || key.length === 0 || key.length > 256) return false;
  const actual = Buffer.from(hashConnectionKey(key), 'hex');
  const expected = Buffer.from(hash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
