import { mkdirSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { artifactsDir, baseUrl, e2eConfig, repoRoot } from './paths';
import { waitForReady } from './waitForReady';

const configArgs = [
  '--config',
  resolve(repoRoot, 'app-config.yaml'),
  '--config',
  e2eConfig,
];

/** Builds the frontend, then starts the backend that serves it. */
export default async function globalSetup() {
  mkdirSync(artifactsDir, { recursive: true });

  const build = spawnSync(
    'npx',
    ['backstage-cli', 'package', 'build', ...configArgs],
    { cwd: resolve(repoRoot, 'packages/app'), stdio: 'inherit' },
  );
  if (build.status !== 0) {
    throw new Error(`Building packages/app failed (exit ${build.status})`);
  }

  const log = openSync(resolve(artifactsDir, 'backend.log'), 'w');
  const backend = spawn(
    'npx',
    ['backstage-cli', 'package', 'start', ...configArgs],
    {
      cwd: resolve(repoRoot, 'packages/backend'),
      stdio: ['ignore', log, log],
      detached: true,
    },
  );
  (globalThis as any).__stackyardBackend = backend;
  await waitForReady(`${baseUrl}/.backstage/health/v1/readiness`, backend, {
    timeoutMs: 180_000,
  });
}
