'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
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

test('the server answers over HTTP and refuses an oversized body with 413', async () => {
  const server = createServer(deps);
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const big = await fetch(`${base}/jobs`, { method: 'POST', body: 'x'.repeat(20000) });
    assert.equal(big.status, 413);
  } finally {
    server.close();
  }
});
