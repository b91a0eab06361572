import net from 'node:net';

/** What a raw client saw of an upgrade: status line, all bytes, and whether the server closed the socket. */
export type RawAttempt = {
  statusLine: string;
  text: () => string;
  closed: boolean;
  socket: net.Socket;
};

/**
 * Sends an upgrade request over a raw TCP socket and waits up to
 * `waitMs` for the server to answer and close; an upgrade resolves once
 * the 101 response is in (`text()` keeps collecting frames after that).
 * With `halfClose` the client ends its side right after the request and
 * never closes (a half-open socket). The socket is left as it is: the caller decides when to drop it.
 */
export function rawUpgrade(
  port: number,
  path: string,
  { halfClose = false, waitMs = 3_000 } = {},
): Promise<RawAttempt> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    let text = '';
    const done = (closed: boolean) =>
      resolve({
        statusLine: text.split('\r\n')[0],
        text: () => text,
        closed,
        socket,
      });
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', chunk => {
      text += chunk.toString('latin1');
      if (/^HTTP\/1\.1 101 [^]*\r\n\r\n/.test(text)) {
        clearTimeout(timer);
        done(false);
      }
    });
    socket.once('close', () => {
      clearTimeout(timer);
      done(true);
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    if (halfClose) socket.end();
  });
}

/** A plain HTTP client that sent half a request and then nothing. */
export function halfRequest(port: number): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write('GET /api/catalog/entities HTTP/1.1\r\nHost: x\r\n');
  return socket;
}
