import { ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { resolve } from 'node:path';
import { e2eConfig, repoRoot } from './paths';

/** The shipped app-config.yaml with the browser tests' overrides. */
export const configArgs = [
  '--config',
  resolve(repoRoot, 'app-config.yaml'),
  '--config',
  e2eConfig,
];

/**
 * Configuration overrides (APP_CONFIG_ variables) that serve a portal on
 * `port` rather than app-config.e2e.yaml's; app-backend injects the backend
 * URL into the built frontend's HTML, so one build serves every port.
 */
export function servedOn(port: number): Record<string, string> {
  const baseUrl = `http://localhost:${port}`;
  return {
    APP_CONFIG_app_baseUrl: baseUrl,
    APP_CONFIG_backend_baseUrl: baseUrl,
    APP_CONFIG_backend_listen_port: String(port),
    APP_CONFIG_backend_cors_origin: baseUrl,
  };
}

/**
 * Starts the portal backend straight from its TypeScript sources through
 * the transform `backstage-cli package start` uses, but without its
 * restart loop, so a crash shows at once. Detached: stop it with
 * `stopProcessGroup`. `env` adds to (and overrides) this process's.
 */
export function startBackend(options: {
  logFile: string;
  extraArgs?: string[];
  env?: Record<string, string>;
}): ChildProcess {
  const log = openSync(options.logFile, 'w');
  return spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      ...configArgs,
      ...(options.extraArgs ?? []),
    ],
    {
      cwd: resolve(repoRoot, 'packages/backend'),
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_ENV: 'development', ...options.env },
      detached: true,
    },
  );
}
