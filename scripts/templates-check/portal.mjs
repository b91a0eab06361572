// A minimal portal backend, in-process on a random loopback port: the real
// scaffolder with the Stackyard actions, for its dry-run API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTs } from './require.mjs';

const { mockCredentials, mockServices, startTestBackend } = requireTs(
  '@backstage/backend-test-utils',
);

export async function startPortal() {
  const publishDir = mkdtempSync(join(tmpdir(), 'stackyard-templates-check-'));
  // Our own in-memory database, so that stop() can close its pool (the
  // default one keeps a reaping timer, and so the process, alive).
  const knex = requireTs('knex')({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const backend = await startTestBackend({
    features: [
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:0' },
          stackyard: {
            targets: [{ name: 'local', type: 'local' }],
            scaffolder: { localPublishDirectory: publishDir },
          },
        },
      }),
      mockServices.rootLogger.factory({ level: 'warn' }),
      requireTs('@backstage/plugin-scaffolder-backend').default,
      requireTs('@stackyard/plugin-scaffolder-backend-module-stackyard')
        .default,
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}`;
  return {
    /** POST /api/scaffolder/v2/dry-run; the parsed response and status. */
    async dryRun(body) {
      const res = await fetch(`${baseUrl}/api/scaffolder/v2/dry-run`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: mockCredentials.user.header('user:default/guest'),
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = { error: { message: text } };
      }
      return { status: res.status, body: json };
    },
    async stop() {
      await backend.stop();
      await knex.destroy();
      rmSync(publishDir, { recursive: true, force: true });
    },
  };
}
