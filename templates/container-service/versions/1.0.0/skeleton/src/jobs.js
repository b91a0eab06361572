'use strict';

// What a job is: validated when the API accepts it and again when the
// worker takes it off the queue (the queue holds JSON text).
const QUEUE_KEY = 'jobs';
const MAX_BODY_BYTES = 16 * 1024;

/** A job from a request body or a queue entry: `{ job }` or `{ error }`. */
function parseJob(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'the body is not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'a job is a JSON object' };
  }
  if (typeof value.type !== 'string' || !/^[a-z][a-z0-9-]{0,62}$/.test(value.type)) {
    return { error: 'type: lowercase letters, digits and dashes, starting with a letter' };
  }
  return { job: { type: value.type, payload: value.payload ?? null } };
}

module.exports = { MAX_BODY_BYTES, QUEUE_KEY, parseJob };
