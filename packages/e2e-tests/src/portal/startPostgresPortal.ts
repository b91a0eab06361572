import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { freePort, postgresConnectionStrings } from '@stackyard/test-support';
import { artifactsDir, repoRoot } from './paths';
import { postgresPortalVariables } from './postgresPortal';
import { servedOn, startBackend } from './startBackend';
import { seedNonAdminAccount, startLoopbackAws } from './startLoopbackAws';
import { stopProcessGroup } from './stopProcessGroup';
import { waitForReady } from './waitForReady';

/**
 * Starts a second portal backend, the way app-config.production.yaml runs
 * it (PostgreSQL through POSTGRES_*), on a free port, with databases of its
 * own prefix, serving the same built frontend (app-backend injects each
 * backend's config into the HTML it serves, so the two do not clash). It
 * has only app-config.yaml's `local` target: the loopback AWS belongs to
 * the main backend. Its databases are left to the throw-away server, like
 * the other PostgreSQL suites'.
 * Returns undefined, with a message, when no PostgreSQL is configured;
 * throws when one is required.
 */
export async function startPostgresPortal() {
  const server = postgresConnectionStrings()[0];
  if (!server) {
    console.warn(
      'Browser tests on PostgreSQL not run: set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING',
    );
    return undefined;
  }
  const url = new URL(server.connectionString);
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const prefix = `stackyard_e2e_${Date.now().toString(36)}_`;
  const publishDirectory = mkdtempSync(
    resolve(tmpdir(), 'stackyard-e2e-pg-repos-'),
  );
  const aws = await startLoopbackAws(
    mkdtempSync(resolve(tmpdir(), 'stackyard-e2e-pg-aws-')),
    seedNonAdminAccount,
  );
  const child = startBackend({
    logFile: resolve(artifactsDir, 'backend-postgres.log'),
    // After the e2e config, so its PostgreSQL connection replaces the
    // e2e config's in-memory one.
    extraArgs: [
      '--config',
      resolve(repoRoot, 'app-config.production.yaml'),
      '--config',
      aws.configFile,
    ],
    env: {
      POSTGRES_HOST: url.hostname,
      POSTGRES_PORT: url.port || '5432',
      POSTGRES_USER: decodeURIComponent(url.username),
      POSTGRES_PASSWORD: decodeURIComponent(url.password),
      APP_CONFIG_backend_database_prefix: prefix,
      ...servedOn(port),
      APP_CONFIG_stackyard_scaffolder_localPublishDirectory: publishDirectory,
      APP_CONFIG_stackyard_platform_adminGroups: JSON.stringify([
        'group:default/e2e-nobody',
      ]),
    },
  });
  process.env[postgresPortalVariables.baseUrl] = baseUrl;
  process.env[postgresPortalVariables.publishDirectory] = publishDirectory;
  process.env[postgresPortalVariables.awsEndpoint] = aws.fake.url;

  return {
    child,
    baseUrl,
    ready: () =>
      waitForReady(`${baseUrl}/.backstage/health/v1/readiness`, child, {
        timeoutMs: 180_000,
      }),
    stop: async () => {
      await stopProcessGroup(child);
      await aws.fake.stop();
    },
  };
}
