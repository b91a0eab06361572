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

/** An API Gateway HTTP API request (payload format 2.0) to POST /jobs. */
function postJobs(body, { base64 = false } = {}) {
  return {
    version: '2.0',
    routeKey: 'POST /jobs',
    rawPath: '/jobs',
    headers: { 'content-type': base64 ? 'application/x-www-form-urlencoded' : 'application/json' },
    requestContext: { http: { method: 'POST', path: '/jobs' } },
    body: base64 && body !== undefined ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
  };
}

/** An intake handler recording what it sends. */
function recordingIntake() {
  const sent = [];
  const handler = intake.createHandler({
    queueUrl: 'https://sqs.test/jobs',
    send: async (url, body) => sent.push({ url, body }),
  });
  return { handler, sent };
}

test('intake through POST /jobs: 202 with the job id, the job sent to the queue', async () => {
  const { handler, sent } = recordingIntake();
  const response = await handler(postJobs('{"id":"job-2","payload":{"n":2}}'));
  assert.equal(response.statusCode, 202);
  assert.equal(response.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(response.body), { accepted: true, id: 'job-2' });
  assert.deepEqual(sent, [
    { url: 'https://sqs.test/jobs', body: '{"id":"job-2","payload":{"n":2}}' },
  ]);
});

test('intake through POST /jobs reads a body API Gateway base64-encoded', async () => {
  const { handler, sent } = recordingIntake();
  const response = await handler(postJobs('{"id":"job-3","payload":{}}', { base64: true }));
  assert.equal(response.statusCode, 202);
  assert.deepEqual(JSON.parse(response.body), { accepted: true, id: 'job-3' });
  assert.equal(sent.length, 1);
});

test('intake through POST /jobs: 400 naming the problem for a body that is not JSON, or none', async () => {
  const { handler, sent } = recordingIntake();
  for (const [body, base64, problem] of [
    ['{"id": "job-4",', false, /^Invalid job: the request body is not valid JSON \(.+\)$/],
    ['id=job-4', true, /^Invalid job: the request body is not valid JSON/],
    [undefined, false, /^Invalid job: the request has no body: send the job as JSON/],
  ]) {
    const response = await handler(postJobs(body, { base64 }));
    assert.equal(response.statusCode, 400, String(body));
    const answer = JSON.parse(response.body);
    assert.match(answer.message, problem);
    assert.equal(answer.accepted, false);
  }
  assert.equal(sent.length, 0);
});

test('intake through POST /jobs: 400 listing every problem of an invalid job, nothing sent', async () => {
  const { handler, sent } = recordingIntake();
  const response = await handler(postJobs('{"id":"no spaces allowed","payload":"x"}'));
  assert.equal(response.statusCode, 400);
  const answer = JSON.parse(response.body);
  assert.equal(answer.problems.length, 2);
  assert.equal(
    answer.message,
    `Invalid job: ${answer.problems[0]}; payload must be a JSON object`,
  );
  assert.match(answer.message, /id "no spaces allowed" must be/);
  assert.equal(sent.length, 0);
});

test('intake invoked directly with a job that merely has a version field still takes it as a job', async () => {
  const { handler, sent } = recordingIntake();
  const result = await handler({ id: 'job-5', payload: {}, version: '2.0' });
  assert.deepEqual(result, { accepted: true, id: 'job-5' });
  assert.equal(sent.length, 1);
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
