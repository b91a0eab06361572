import type { IncomingMessage } from 'node:http';

const KEY = /^[+/0-9A-Za-z]{22}==$/;

/**
 * Checks that a request is a well-formed WebSocket upgrade (RFC 6455 §4.2.1)
 * before any integration runs. Returns the refusal to send, or undefined.
 */
export function validateUpgrade(
  req: IncomingMessage,
):
  | { statusCode: number; message: string; headers?: Record<string, string> }
  | undefined {
  if (req.method !== 'GET') {
    return {
      statusCode: 405,
      message: 'Upgrade requests must use GET',
      headers: { Allow: 'GET' },
    };
  }
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    return { statusCode: 400, message: 'Missing or invalid Upgrade header' };
  }
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !KEY.test(key.trim())) {
    return {
      statusCode: 400,
      message: 'Missing or invalid Sec-WebSocket-Key header',
    };
  }
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    return {
      statusCode: 426,
      message: 'Unsupported WebSocket version',
      headers: { 'Sec-WebSocket-Version': '13, 8' },
    };
  }
  return undefined;
}

/** The subprotocols a client offered, in order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (!header) {
    return [];
  }
  return header
    .split(',')
    .map(p => p.trim())
    .filter(Boolean);
}
