'use strict';

// A small Redis client (RESP2 over TLS or TCP) for the job queue, so the
// service needs no runtime dependencies. Encoding and parsing are pure
// functions, tested without a server.
const net = require('node:net');
const tls = require('node:tls');

/** A command as a RESP array of bulk strings. */
function encodeCommand(args) {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) {
    const value = Buffer.from(String(arg), 'utf8');
    parts.push(`$${value.length}\r\n`, value, '\r\n');
  }
  return Buffer.concat(parts.map(p => (Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8'))));
}

class RedisError extends Error {}

/**
 * Parses one reply at `offset`: `{ value, end }`, or undefined while the
 * buffer does not hold all of it yet. Error replies are RedisError values.
 */
function parseReply(buffer, offset = 0) {
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[offset]);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new RedisError(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, end);
        if (!item) return undefined;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new RedisError(`unexpected reply type ${JSON.stringify(type)}`);
  }
}

/** Connects to Redis; `command(...args)` resolves with the reply, in order. */
function connect({ host, port = 6379, useTls = false }) {
  const socket = useTls
    ? tls.connect({ host, port, servername: host })
    : net.connect({ host, port });
  const pending = [];
  let buffer = Buffer.alloc(0);
  socket.on('data', chunk => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const reply = parseReply(buffer);
      if (!reply) break;
      buffer = buffer.subarray(reply.end);
      const { resolve, reject } = pending.shift();
      if (reply.value instanceof RedisError) reject(reply.value);
      else resolve(reply.value);
    }
  });
  const failAll = error => {
    while (pending.length > 0) pending.shift().reject(error);
  };
  socket.on('error', failAll);
  socket.on('close', () => failAll(new RedisError('connection closed')));
  return {
    command: (...args) =>
      new Promise((resolve, reject) => {
        pending.push({ resolve, reject });
        socket.write(encodeCommand(args));
      }),
    close: () => socket.end(),
  };
}

/** The job queue's connection settings from the container's environment. */
function cacheSettings(env) {
  if (!env.CACHE_JOBS_HOST) throw new Error('CACHE_JOBS_HOST is not set');
  return {
    host: env.CACHE_JOBS_HOST,
    port: Number(env.CACHE_JOBS_PORT || 6379),
    useTls: env.CACHE_JOBS_TLS === 'true',
  };
}

module.exports = { RedisError, cacheSettings, connect, encodeCommand, parseReply };
