'use strict';

// One cold synth: a fresh process loads the library and synthesizes once.
const started = performance.now();
const path = require('path');
const { synthService } = require('./load');

synthService({
  appDir: path.resolve(__dirname, '../fixtures', process.env.STACKYARD_BENCH_APP ?? 'reference-service'),
  prefix: 'wo-42',
  stage: 'dev',
}).then(result => {
  process.stdout.write(
    JSON.stringify({
      totalMs: Math.round(performance.now() - started),
      synthMs: result.durationMs,
      ok: result.ok,
    }),
  );
});
