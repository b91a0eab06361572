'use strict';

/** Checks a job: `{ id: string, payload: object }`. Returns the problems found. */
function validateJob(job) {
  const problems = [];
  if (!job || typeof job !== 'object') return ['the job must be a JSON object'];
  if (typeof job.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(job.id)) {
    problems.push(`id ${JSON.stringify(job.id)} must be 1 to 64 letters, digits, "_" or "-"`);
  }
  if (!job.payload || typeof job.payload !== 'object') {
    problems.push('payload must be a JSON object');
  }
  return problems;
}

/**
 * Whether `event` is a request of the HTTP API (`POST /jobs`, API Gateway's
 * payload format 2.0) rather than a job invoked directly (the Lambda
 * console, `aws lambda invoke`, the portal's local preview).
 */
function isHttpRequest(event) {
  return Boolean(
    event &&
      event.version === '2.0' &&
      typeof event.routeKey === 'string' &&
      event.requestContext &&
      event.requestContext.http,
  );
}

/**
 * The job in a request's body: JSON, which API Gateway base64-encodes when
 * the request's content type is not text (e.g. `curl -d` without a JSON
 * content type). Returns `{ job }` or `{ problems }`.
 */
function jobOfRequest(event) {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (text.trim() === '') {
    return { problems: ['the request has no body: send the job as JSON, {"id": "...", "payload": {...}}'] };
  }
  try {
    return { job: JSON.parse(text) };
  } catch (error) {
    return { problems: [`the request body is not valid JSON (${error.message})`] };
  }
}

function httpResponse(statusCode, body) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/**
 * A handler sending valid jobs to the queue through `send(queueUrl, body)`.
 * Invoked with a job, it answers `{ accepted, id }` or `{ accepted: false,
 * problems }`; called through the HTTP API, the same as a 202 or 400
 * response (the 400 with a `message` naming every problem).
 */
function createHandler({ send, queueUrl }) {
  const accept = async job => {
    const problems = validateJob(job);
    if (problems.length > 0) {
      return { accepted: false, problems };
    }
    await send(queueUrl, JSON.stringify(job));
    return { accepted: true, id: job.id };
  };
  return async event => {
    if (!isHttpRequest(event)) return accept(event);
    const request = jobOfRequest(event);
    const result = request.problems
      ? { accepted: false, problems: request.problems }
      : await accept(request.job);
    if (!result.accepted) {
      return httpResponse(400, { message: `Invalid job: ${result.problems.join('; ')}`, ...result });
    }
    return httpResponse(202, result);
  };
}

let handler;
exports.handler = async event => {
  if (!handler) {
    // The AWS SDK v3 ships with the Lambda Node.js runtime.
    const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
    const sqs = new SQSClient({});
    handler = createHandler({
      queueUrl: process.env.QUEUE_JOBS,
      send: (QueueUrl, MessageBody) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody })),
    });
  }
  return handler(event);
};
exports.createHandler = createHandler;
exports.validateJob = validateJob;
