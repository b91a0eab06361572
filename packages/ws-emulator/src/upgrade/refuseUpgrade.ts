import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Answers an upgrade request that is not accepted with a complete HTTP
 * response and closes the socket. `body` defaults to
 * `{"message":"<status text>"}` as API Gateway answers.
 */
export function refuseUpgrade(
  socket: Duplex,
  statusCode: number,
  options: {
    body?: string;
    contentType?: string;
    headers?: Record<string, string>;
  } = {},
): void {
  if (socket.destroyed) {
    return;
  }
  const status = STATUS_CODES[statusCode] ? statusCode : 500;
  const body =
    options.body ?? JSON.stringify({ message: STATUS_CODES[status] });
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Connection: close',
    `Content-Type: ${options.contentType ?? 'application/json'}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) && !/[\r\n]/.test(value)) {
      lines.push(`${name}: ${value}`);
    }
  }
  socket.once('error', () => {});
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
