import { InputError } from '@backstage/errors';

/** The position after the last row of a page: its creation time and id. */
export type Cursor = { createdAt: number; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString(
    'base64url',
  );
}

export function decodeCursor(value: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(
      Buffer.from(value, 'base64url').toString('utf8'),
    );
    if (typeof createdAt === 'number' && typeof id === 'string') {
      return { createdAt, id };
    }
  } catch {
    // reported below
  }
  throw new InputError(
    `Invalid cursor "${value.slice(
      0,
      64,
    )}": pass the nextCursor of a previous page`,
  );
}
