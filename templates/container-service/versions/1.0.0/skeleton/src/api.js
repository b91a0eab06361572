'use strict';

// The HTTP API behind the load balancer: GET /health for its health checks,
// POST /jobs to queue a job for the worker. Plain node:http, no framework.
const http = require('node:http');
const { MAX_BODY_BYTES, QUEUE_KEY, parseJob } = require('./jobs');

/**
 * Answers one request: `{ status, body }`. `enqueue(text)` queues a job's
 * JSON text and resolves with the queue's length.
 */
async function handle({ method, path, body }, { enqueue }) {
  if (path === '/health') {
    return method === 'GET' || method === 'HEAD'
      ? { status: 200, body: { status: 'ok' } }
      : { status: 405, body: { error: 'use GET' } };
  }
  if (path === '/jobs') {
    if (method !== 'POST') return { status: 405, body: { error: 'use POST' } };
    const { job, error } = parseJob(body);
    if (error) return { status: 400, body: { error } };
    const queued = await enqueue(JSON.stringify(job));
    return { status: 202, body: { accepted: job.type, queued } };
  }
  return { status: 404, body: { error: 'not found' } };
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    // An oversized body is read to its end but not kept, so the client gets the 413.
    request.on('data', chunk => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      size > MAX_BODY_BYTES
        ? reject(Object.assign(new Error('body too large'), { status: 413 }))
        : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
  });
}

function createServer(deps) {
  return http.createServer(async (request, response) => {
    let result;
    try {
      const path = new URL(request.url, 'http://localhost').pathname;
      const body = request.method === 'POST' ? await readBody(request) : '';
      result = await handle({ method: request.method, path, body }, deps);
    } catch (error) {
      if (!error.status) console.error(error);
      result = { status: error.status || 500, body: { error: error.status ? error.message : 'internal error' } };
    }
    response.writeHead(result.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(result.body));
  });
}

if (require.main === module) {
  const { cacheSettings, connect } = require('./redis');
  const redis = connect(cacheSettings(process.env));
  const server = createServer({ enqueue: text => redis.command('LPUSH', QUEUE_KEY, text) });
  const port = Number(process.env.PORT || 8080);
  server.listen(port, () => console.log(`api listening on ${port}`));
  process.on('SIGTERM', () => server.close(() => redis.close()));
}

module.exports = { createServer, handle };
