import { Socket } from 'net';
import { boundedLines } from '../boundedLines';
import { MAX_REQUEST_CHARS, type FromRunner, type ToRunner } from './protocol';

/**
 * The runner's side of its channel with the backend: requests arrive as
 * JSON lines on stdin, messages leave as JSON lines on file descriptor 3.
 * Not Node's IPC channel: the backend reads this one with a cap on each
 * line, so nothing a runner sends can make it hold more.
 */
export function openChannel(onMessage: (message: ToRunner) => void): {
  send(message: FromRunner): Promise<void>;
  /** Writes a message already serialized (one JSON line, without its newline). */
  writeLine(line: string): void;
} {
  const out = new Socket({ fd: 3, readable: false, writable: true });
  out.on('error', () => process.exit(0));
  boundedLines(process.stdin, MAX_REQUEST_CHARS, line => {
    try {
      onMessage(JSON.parse(line) as ToRunner);
    } catch {
      // not a request: the backend sends only JSON lines
    }
  });
  // The backend is gone (or stopped the preview): so is the runner.
  process.stdin.on('end', () => process.exit(0));
  return {
    send: message =>
      new Promise(resolve => {
        out.write(`${JSON.stringify(message)}\n`, () => resolve());
      }),
    writeLine: line => {
      out.write(`${line}\n`);
    },
  };
}
