/** A parsed management API path. */
export type ManagementTarget =
  | { kind: 'connection'; connectionId: string }
  | { kind: 'channel'; name: string }
  | { kind: 'invalid'; message: string };

/**
 * Parses the part of a request path after the emulator's base path:
 * `/@connections/{id}` or `/{stage}/@connections/{id}` (and the same for
 * `@channels`). Returns undefined when the path is not a management path
 * at all; `invalid` when it is one but malformed or for another stage.
 */
export function parseManagementPath(
  path: string,
  stage: string,
): ManagementTarget | undefined {
  const segments = path.split('/');
  // ['', '@connections', id] or ['', stage, '@connections', id]
  let index: number;
  if (segments[1] === '@connections' || segments[1] === '@channels') {
    index = 1;
  } else if (segments[2] === '@connections' || segments[2] === '@channels') {
    index = 2;
    if (segments[1] !== stage) {
      return {
        kind: 'invalid',
        message: `Unknown stage ${JSON.stringify(segments[1])}`,
      };
    }
  } else {
    return undefined;
  }
  if (segments[0] !== '' || segments.length !== index + 2) {
    return { kind: 'invalid', message: 'Malformed @connections path' };
  }
  let id: string;
  try {
    id = decodeURIComponent(segments[index + 1]);
  } catch {
    return { kind: 'invalid', message: 'Malformed percent-encoding in path' };
  }
  if (id.length === 0 || id.length > 128) {
    return { kind: 'invalid', message: 'Invalid connectionId' };
  }
  return segments[index] === '@connections'
    ? { kind: 'connection', connectionId: id }
    : { kind: 'channel', name: id };
}
