// Runs every workspace's jest tests once (no watch mode) and writes jest's
// JSON results to .test-results/<STACKYARD_RESULTS_NAME>.json for the summary.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const name = process.env.STACKYARD_RESULTS_NAME ?? 'unit';
const resultsDir = resolve('.test-results');
mkdirSync(resultsDir, { recursive: true });

const result = spawnSync(
  'npx',
  [
    'backstage-cli',
    'repo',
    'test',
    '--ci',
    '--json',
    `--outputFile=${resolve(resultsDir, `${name}.json`)}`,
    ...process.argv.slice(2),
  ],
  // backstage-cli watches for changes unless CI is set.
  { stdio: 'inherit', env: { ...process.env, CI: process.env.CI || 'true' } },
);
process.exit(result.status ?? 1);
