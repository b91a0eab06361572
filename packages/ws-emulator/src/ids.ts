import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
const ID_BYTES = 11;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;

function nextBytes(): Buffer {
  if (offset + ID_BYTES > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_SIZE));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return bytes;
}

// Ids are cut from one base64 string encoding many 12-byte slots: 11 random
// bytes and a zero byte each. The first 15 characters of a slot's 16 are
// exactly the base64 of its 11 random bytes, so one encoding serves many ids.
const SLOT_BYTES = 12;
const SLOT_CHARS = 16;
const SLOTS = 256;
let encoded = '';
let slot = SLOTS;

/**
 * A random id shaped like API Gateway's connection, request and message ids:
 * 16 characters of base64 ending in `=` (11 random bytes), e.g.
 * `L0SM9cOFvHcCIhw=`.
 */
export function createAwsStyleId(): string {
  if (slot === SLOTS) {
    const bytes = randomFillSync(Buffer.allocUnsafe(SLOT_BYTES * SLOTS));
    for (let i = ID_BYTES; i < bytes.length; i += SLOT_BYTES) {
      bytes[i] = 0;
    }
    encoded = bytes.toString('base64');
    slot = 0;
  }
  const start = slot++ * SLOT_CHARS;
  return `${encoded.slice(start, start + SLOT_CHARS - 1)}=`;
}

/** Matches ids produced by {@link createAwsStyleId} and by API Gateway. */
export const AWS_STYLE_ID = /^[A-Za-z0-9+/_-]{15}=$/;

const API_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random 10-character API id, like `a1b2c3d4e5`. */
export function createApiId(): string {
  const bytes = nextBytes();
  let id = '';
  for (let i = 0; i < 10; i++) {
    id += API_ID_ALPHABET[bytes[i] % API_ID_ALPHABET.length];
  }
  return id;
}
