'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Duplex } = require('node:stream');
const { handle, createServer } = require('../src/api');

const queued = [];
const deps = { enqueue: async text => queued.push(text) };

test('GET /health answers ok for the load balancer', async () => {
  assert.deepEqual(await handle({ method: 'GET', path: '/health', body: '' }, deps), {
    status: 200,
    body: { status: 'ok' },
  });
});

test('POST /jobs queues a valid job and refuses an invalid one', async () => {
  queued.length = 0;
  const accepted = await handle(
    { method: 'POST', path: '/jobs', body: JSON.stringify({ type: 'resize', payload: { id: 7 } }) },
    deps,
  );
  assert.equal(accepted.status, 202);
  assert.deepEqual(queued.map(t => JSON.parse(t)), [{ type: 'resize', payload: { id: 7 } }]);

  for (const body of ['not json', '[]', '{"type":"Bad Type"}']) {
    const refused = await handle({ method: 'POST', path: '/jobs', body }, deps);
    assert.equal(refused.status, 400, body);
  }
  assert.equal(queued.length, 1);
  assert.equal((await handle({ method: 'GET', path: '/jobs', body: '' }, deps)).status, 405);
  assert.equal((await handle({ method: 'GET', path: '/other', body: '' }, deps)).status, 404);
});

// Raw HTTP/1.1 through the server over an in-memory connection (any Duplex
// may be handed to http.Server's connection event), so the test runs where
// listening on a socket is refused, such as the upgrade engine's sandbox.
function exchange(server, request) {
  return new Promise((resolve, reject) => {
    let response = '';
    const connection = new Duplex({
      read() {},
      write(chunk, _encoding, callback) {
        response += chunk.toString('latin1');
        callback();
      },
      final(callback) {
        callback();
        resolve(response);
      },
    });
    connection.on('error', reject);
    server.emit('connection', connection);
    connection.push(request);
  });
}

/** The body of a raw response, chunked transfer encoding decoded. */
function bodyOf(response) {
  const split = response.indexOf('\r\n\r\n');
  const rest = response.slice(split + 4);
  if (!/\r\ntransfer-encoding: chunked(\r\n|$)/i.test(response.slice(0, split))) return rest;
  let body = '';
  for (let at = 0; ; ) {
    const eol = rest.indexOf('\r\n', at);
    const size = parseInt(rest.slice(at, eol), 16);
    if (!size) return body;
    body += rest.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

test('the server answers over HTTP and refuses an oversized body with 413', async () => {
  const server = createServer(deps);
  const health = await exchange(server, 'GET /health HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n');
  assert.match(health, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(health, /\r\ncontent-type: application\/json\r\n/i);
  assert.deepEqual(JSON.parse(bodyOf(health)), { status: 'ok' });
  const body = 'x'.repeat(20000);
  const big = await exchange(
    server,
    `POST /jobs HTTP/1.1\r\nHost: api\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
  assert.match(big, /^HTTP\/1\.1 413 Payload Too Large\r\n/);
  assert.deepEqual(JSON.parse(bodyOf(big)), { error: 'body too large' });
});
