import type { Readable } from 'stream';

/**
 * Calls `onLine` for each line of `input`, each cut to `maxLength`
 * characters: a process that writes without newlines cannot make the reader
 * hold more than `maxLength` characters (readline would buffer it all).
 */
export function boundedLines(
  input: Readable,
  maxLength: number,
  onLine: (line: string) => void,
): void {
  let current = '';
  let skipping = false;
  input.setEncoding('utf8');
  input.on('data', (chunk: string) => {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf('\n', start);
      const piece = chunk.slice(start, end < 0 ? undefined : end);
      if (!skipping) {
        current += piece.slice(0, maxLength - current.length);
        if (current.length >= maxLength && end < 0) {
          // Over the cap: said now, the rest of the line dropped.
          onLine(current);
          current = '';
          skipping = true;
        }
      }
      if (end < 0) break;
      if (!skipping) onLine(current.replace(/\r$/, ''));
      current = '';
      skipping = false;
      start = end + 1;
    }
  });
  input.on('end', () => {
    if (current && !skipping) onLine(current);
  });
}
