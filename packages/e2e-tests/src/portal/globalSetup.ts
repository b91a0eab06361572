import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { artifactsDir, baseUrl, repoRoot } from './paths';
import { configArgs, startBackend } from './startBackend';
import { waitForReady } from './waitForReady';
import { stopProcessGroup } from './stopProcessGroup';
import { startLoopbackAws } from './startLoopbackAws';
import { startPostgresPortal } from './startPostgresPortal';
import { endpointVariable } from '../infra/loopbackAws';

/** Builds the frontend, then starts the backend that serves it. */
export default async function globalSetup() {
  mkdirSync(artifactsDir, { recursive: true });
  mkdirSync(resolve(repoRoot, '.test-results'), { recursive: true });

  const build = spawnSync(
    'npx',
    ['backstage-cli', 'package', 'build', ...configArgs],
    {
      cwd: resolve(repoRoot, 'packages/app'),
      stdio: 'inherit',
      // jest sets NODE_ENV=test, which matches no browserslist environment.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (build.status !== 0) {
    throw new Error(`Building packages/app failed (exit ${build.status})`);
  }

  // The packages publish:local packs into each published repository: packed
  // now (a no-op when current), so the wizard tests' tasks do not pack them.
  const pack = spawnSync(process.execPath, ['scripts/pack-stackyard.mjs'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (pack.status !== 0) {
    throw new Error(`npm run pack:stackyard failed (exit ${pack.status})`);
  }

  // The `aws` target's CloudFormation and CloudWatch: a loopback endpoint
  // speaking their wire protocols, which the backend reads through the SDK.
  const aws = await startLoopbackAws(
    mkdtempSync(resolve(tmpdir(), 'stackyard-e2e-aws-')),
  );
  (globalThis as any).__stackyardFakeAws = aws.fake;
  process.env[endpointVariable] = aws.fake.url;

  // The wizard test publishes here, apart from other runs and `npm start`.
  process.env.APP_CONFIG_stackyard_scaffolder_localPublishDirectory =
    mkdtempSync(resolve(tmpdir(), 'stackyard-e2e-repos-'));

  const backend = startBackend({
    extraArgs: ['--config', aws.configFile],
    logFile: resolve(artifactsDir, 'backend.log'),
  });
  (globalThis as any).__stackyardBackend = backend;
  // The wizard runs on PostgreSQL too, against a second backend started
  // alongside (when PostgreSQL is configured).
  const postgres = await startPostgresPortal();
  (globalThis as any).__stackyardPostgresPortal = postgres;
  try {
    await waitForReady(`${baseUrl}/.backstage/health/v1/readiness`, backend, {
      timeoutMs: 180_000,
    });
    await postgres?.ready();
  } catch (error) {
    await stopProcessGroup(backend);
    await postgres?.stop();
    await aws.fake.stop();
    throw new Error(
      `${error}; see ${resolve(
        artifactsDir,
        'backend.log',
      )} (and backend-postgres.log) for the backends' output`,
    );
  }
}
