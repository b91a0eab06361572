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

/** A handler sending valid jobs to the queue through `send(queueUrl, body)`. */
function createHandler({ send, queueUrl }) {
  return async event => {
    const problems = validateJob(event);
    if (problems.length > 0) {
      return { accepted: false, problems };
    }
    await send(queueUrl, JSON.stringify(event));
    return { accepted: true, id: event.id };
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
