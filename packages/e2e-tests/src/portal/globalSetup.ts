import { mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { artifactsDir, baseUrl, e2eConfig, repoRoot } from './paths';
import { waitForReady } from './waitForReady';
import { stopProcessGroup } from './stopProcessGroup';
import { startLoopbackAws } from './startLoopbackAws';
import { endpointVariable } from '../infra/loopbackAws';

const configArgs = [
  '--config',
  resolve(repoRoot, 'app-config.yaml'),
  '--config',
  e2eConfig,
];

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

  // The `aws` target's CloudFormation and CloudWatch: a loopback endpoint
  // speaking their wire protocols, which the backend reads through the SDK.
  const aws = await startLoopbackAws(
    mkdtempSync(resolve(tmpdir(), 'stackyard-e2e-aws-')),
  );
  (globalThis as any).__stackyardFakeAws = aws.fake;
  process.env[endpointVariable] = aws.fake.url;

  // The backend runs straight from its TypeScript sources through the same
  // transform `backstage-cli package start` uses, but without its restart
  // loop, so a crash fails the setup at once.
  // The wizard test publishes here, apart from other runs and `npm start`.
  process.env.APP_CONFIG_stackyard_scaffolder_localPublishDirectory =
    mkdtempSync(resolve(tmpdir(), 'stackyard-e2e-repos-'));

  const log = openSync(resolve(artifactsDir, 'backend.log'), 'w');
  const backend = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      ...configArgs,
      '--config',
      aws.configFile,
    ],
    {
      cwd: resolve(repoRoot, 'packages/backend'),
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_ENV: 'development' },
      detached: true,
    },
  );
  (globalThis as any).__stackyardBackend = backend;
  try {
    await waitForReady(`${baseUrl}/.backstage/health/v1/readiness`, backend, {
      timeoutMs: 180_000,
    });
  } catch (error) {
    await stopProcessGroup(backend);
    await aws.fake.stop();
    throw new Error(
      `${error}; see ${resolve(
        artifactsDir,
        'backend.log',
      )} for the backend's output`,
    );
  }
}
