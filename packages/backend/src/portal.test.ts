import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { postgresConnectionStrings } from '@stackyard/test-support';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { permissionPolicyModule } from './permissions/permissionPolicyModule';

const repoRoot = resolve(__dirname, '../../..');

/**
 * The shipped catalog section of app-config.yaml, with its file targets made
 * absolute (they are relative to packages/backend, where the portal runs).
 */
function shippedCatalogConfig() {
  const appConfig = parse(
    readFileSync(resolve(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const catalog = appConfig.catalog;
  return {
    ...catalog,
    locations: catalog.locations.map((location: { target: string }) => ({
      ...location,
      target: resolve(repoRoot, 'packages/backend', location.target),
    })),
  };
}

const databases = [
  {
    name: 'embedded SQLite',
    database: { client: 'better-sqlite3', connection: ':memory:' },
  },
  ...postgresConnectionStrings().map(({ id, connectionString }) => ({
    name: id,
    database: {
      client: 'pg',
      connection: connectionString,
      // A fresh set of plugin databases for every run.
      prefix: `stackyard_portal_test_${Date.now()}_`,
    },
  })),
];

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

describe.each(databases)('portal backend on $name', ({ database }) => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:0', database },
            catalog: shippedCatalogConfig(),
          },
        }),
        catalogPlugin,
        catalogModuleScaffolderEntityModel,
        scaffolderPlugin,
        permissionPlugin,
        permissionPolicyModule,
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  }, 120_000);

  afterAll(async () => {
    await stop?.();
  });

  const asGuest = mockCredentials.user.header('user:default/guest');

  it('ingests the example group, system, components and templates', async () => {
    const refs = await waitFor(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-query')
        .set('Authorization', asGuest);
      const found: string[] = res.body.items?.map(
        (e: any) => `${e.kind}:${e.metadata.name}`,
      );
      return found?.includes('Template:hello-service') &&
        found.includes('Component:work-orders-notifier')
        ? found
        : undefined;
    }, 'the catalog to ingest catalog/*.yaml and templates/*/template.yaml');

    expect(refs).toEqual(
      expect.arrayContaining([
        'Group:platform-team',
        'User:guest',
        'System:work-orders',
        'Component:work-orders-api',
        'Component:work-orders-notifier',
        'Template:hello-service',
      ]),
    );
  }, 90_000);

  it('runs the hello-service template to completion', async () => {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', asGuest)
      .send({
        templateRef: 'template:default/hello-service',
        values: { name: 'billing-api', owner: 'group:default/platform-team' },
      });
    expect(created.status).toBe(201);

    const task = await waitFor(async () => {
      const res = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set('Authorization', asGuest);
      return ['completed', 'failed'].includes(res.body.status)
        ? res.body
        : undefined;
    }, 'the scaffolder task to finish');
    expect(task.status).toBe('completed');

    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('Authorization', asGuest);
    const log = events.body.map((e: any) => e.body?.message ?? '').join('\n');
    expect(log).toContain(
      'Rendered billing-api for group:default/platform-team',
    );
    expect(log).toContain('catalog-info.yaml');
  }, 90_000);
});
