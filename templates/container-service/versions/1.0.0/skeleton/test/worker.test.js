'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { runWorker } = require('../src/worker');

test('the worker processes valid jobs, rejects malformed ones and stops when asked', async () => {
  const queue = [JSON.stringify({ type: 'resize' }), null, 'garbage', JSON.stringify({ type: 'mail' })];
  const lines = [];
  const counts = await runWorker({
    take: async () => queue.shift(),
    stopped: () => queue.length === 0,
    log: line => lines.push(line),
  });
  assert.deepEqual(counts, { processed: 2, rejected: 1 });
  assert.deepEqual(lines, ['processed resize', 'rejected a queued job: the body is not JSON', 'processed mail']);
});
