'use strict';

// Unit tests of the handlers with fake AWS clients: `npm test`.
const test = require('node:test');
const assert = require('node:assert/strict');
const intake = require('../functions/intake');
const worker = require('../functions/worker');

test('intake sends a valid job to the queue', async () => {
  const sent = [];
  const handler = intake.createHandler({
    queueUrl: 'https://sqs.test/jobs',
    send: async (url, body) => sent.push({ url, body }),
  });
  const result = await handler({ id: 'job-1', payload: { n: 1 } });
  assert.deepEqual(result, { accepted: true, id: 'job-1' });
  assert.deepEqual(sent, [
    { url: 'https://sqs.test/jobs', body: '{"id":"job-1","payload":{"n":1}}' },
  ]);
});

test('intake refuses an invalid job, quoting the bad value, and sends nothing', async () => {
  const sent = [];
  const handler = intake.createHandler({ queueUrl: 'q', send: async () => sent.push(1) });
  const result = await handler({ id: 'no spaces allowed', payload: 'x' });
  assert.equal(result.accepted, false);
  assert.match(result.problems[0], /"no spaces allowed"/);
  assert.equal(result.problems.length, 2);
  assert.equal(sent.length, 0);
});

test('worker stores every job and reports only the failed records', async () => {
  const items = [];
  const handler = worker.createHandler({
    tableName: 'items',
    now: () => '2026-01-01T00:00:00.000Z',
    put: async (table, item) => items.push({ table, item }),
  });
  const result = await handler({
    Records: [
      { messageId: 'm1', body: '{"id":"a","payload":{}}' },
      { messageId: 'm2', body: 'not json' },
    ],
  });
  assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: 'm2' }] });
  assert.deepEqual(items, [
    { table: 'items', item: { id: 'a', payload: {}, processedAt: '2026-01-01T00:00:00.000Z' } },
  ]);
});
