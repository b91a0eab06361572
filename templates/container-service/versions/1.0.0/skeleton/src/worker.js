'use strict';

// The background worker: takes jobs off the Redis queue one at a time and
// processes them, until ECS stops the task (SIGTERM).
const { QUEUE_KEY, parseJob } = require('./jobs');

/** What processing a job means for this service; replace with the real work. */
async function processJob(job) {
  return { type: job.type, processedAt: new Date().toISOString() };
}

/**
 * Runs the loop: `take()` resolves with a queued job's text or null after
 * its wait; stops when `stopped()` is true. Resolves with counts.
 */
async function runWorker({ take, stopped, log = console.log }) {
  const counts = { processed: 0, rejected: 0 };
  while (!stopped()) {
    const text = await take();
    if (text === null) continue;
    const { job, error } = parseJob(text);
    if (error) {
      counts.rejected++;
      log(`rejected a queued job: ${error}`);
      continue;
    }
    const result = await processJob(job);
    counts.processed++;
    log(`processed ${result.type}`);
  }
  return counts;
}

if (require.main === module) {
  const { cacheSettings, connect } = require('./redis');
  const redis = connect(cacheSettings(process.env));
  let stopping = false;
  process.on('SIGTERM', () => (stopping = true));
  runWorker({
    // BRPOP waits up to 5 s, so a stop request is noticed within that.
    take: async () => {
      const reply = await redis.command('BRPOP', QUEUE_KEY, 5);
      return reply === null ? null : reply[1];
    },
    stopped: () => stopping,
  }).then(
    counts => {
      console.log(`worker stopped: ${JSON.stringify(counts)}`);
      redis.close();
    },
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}

module.exports = { processJob, runWorker };
