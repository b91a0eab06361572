import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

const noop = () => {};

/**
 * Answers an upgrade with a complete HTTP response (JSON `{ message }` body,
 * `Connection: close`) and destroys the socket once it is flushed: HTTP
 * servers allow half-open sockets, so ending our side alone would leave a
 * client that never closes its side holding the socket.
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  socket.on('error', noop);
  if (socket.destroyed) return;
  if (socket.writableEnded) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ message });
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // Unread bytes from the client would turn the close into a reset that
  // can discard the response; nothing more is read from this socket.
  socket.resume();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(
        body,
      )}\r\n${extra}\r\n${body}`,
    () => socket.destroy(),
  );
}
