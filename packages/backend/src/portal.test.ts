import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
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
import stackyardPlugin from '@stackyard/plugin-stackyard-backend';
import stackyardScaffolderModule from '@stackyard/plugin-scaffolder-backend-module-stackyard';
import stackyardCatalogModule from '@stackyard/plugin-catalog-backend-module-stackyard';
import { permissionPolicyModule } from './permissions/permissionPolicyModule';
import { mockAuthOnBehalfOf } from './__testUtils__/mockAuthOnBehalfOf';

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

/** Every file under `dir`, as the scaffolder's dry-run API takes them. */
function directoryContents(dir: string, base = dir) {
  const files: { path: string; base64Content: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      files.push(...directoryContents(path, base));
    } else {
      files.push({
        path: relative(base, path),
        base64Content: readFileSync(path).toString('base64'),
      });
    }
  }
  return files;
}

/** A template's sample answers (templates/<name>/check-values.yaml), named `name`. */
const sampleValues = (template: string, name: string) => ({
  ...parse(
    readFileSync(
      resolve(repoRoot, 'templates', template, 'check-values.yaml'),
      'utf8',
    ),
  ).values,
  name,
});

/**
 * A Template document, as a form answer would smuggle it into an unquoted
 * catalog-info.yaml: registered through the stackyard-local location, its
 * file: source location would let fetch:plain read the backend's files.
 * Short enough for the description field (at most 200 characters).
 */
const smuggledTemplate = [
  '---',
  'apiVersion: scaffolder.backstage.io/v1beta3',
  'kind: Template',
  'metadata: { name: evil, annotations: { backstage.io/source-location: "file:/etc/" } }',
  'spec: { type: service, steps: [] }',
].join('\n');

/** Parses "Synthesized <stack>: N resources (1 A, 2 B)" from a task log. */
function synthSummary(log: string, stackName: string) {
  const match = new RegExp(
    `Synthesized ${stackName}: (\\d+) resources \\(([^)]*)\\)`,
  ).exec(log);
  if (!match) return undefined;
  const resourcesByType: Record<string, number> = {};
  for (const part of match[2].split(', ')) {
    const [count, type] = part.split(' ');
    resourcesByType[type] = Number(count);
  }
  return { resourceCount: Number(match[1]), resourcesByType };
}

function runNode(args: string[], cwd: string) {
  return new Promise<{ code: number; output: string }>(done => {
    execFile(process.execPath, args, { cwd }, (error, stdout, stderr) =>
      done({
        code: error ? Number(error.code ?? 1) : 0,
        output: `${stdout}${stderr}`,
      }),
    );
  });
}

const stackyardTemplates = ['serverless-service', 'websocket-service'];

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

// The wizard's local publish packs this monorepo's packages into the
// repository it publishes: packed (and each template's lockfile resolved)
// once here, a no-op when current, so the wizard tests' budgets do not
// include a first build after a source change.
beforeAll(
  () =>
    new Promise<void>((done, fail) => {
      execFile(
        process.execPath,
        [resolve(repoRoot, 'scripts/pack-stackyard.mjs')],
        { cwd: repoRoot, timeout: 300_000 },
        error => (error ? fail(error) : done()),
      );
    }),
  300_000,
);

describe.each(databases)('portal backend on $name', ({ database }) => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const publishDir = mkdtempSync(join(tmpdir(), 'stackyard-portal-repos-'));

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        mockAuthOnBehalfOf,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:0', database },
            catalog: shippedCatalogConfig(),
            stackyard: {
              targets: [{ name: 'local', type: 'local' }],
              scaffolder: { localPublishDirectory: publishDir },
            },
          },
        }),
        catalogPlugin,
        catalogModuleScaffolderEntityModel,
        stackyardCatalogModule,
        scaffolderPlugin,
        permissionPlugin,
        permissionPolicyModule,
        stackyardPlugin,
        stackyardScaffolderModule,
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  }, 120_000);

  afterAll(async () => {
    await stop?.();
    rmSync(publishDir, { recursive: true, force: true });
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
      return found?.includes('Template:serverless-service') &&
        found.includes('Template:websocket-service') &&
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
        'Template:serverless-service',
        'Template:websocket-service',
      ]),
    );
  }, 90_000);

  it.each(stackyardTemplates)(
    'dry-runs %s: it renders, synthesizes, passes the safety policy, and the generated tests and snapshot hold',
    async name => {
      const templateDir = resolve(repoRoot, 'templates', name);
      const template = parse(
        readFileSync(resolve(templateDir, 'template.yaml'), 'utf8'),
      );
      const res = await request(server)
        .post('/api/scaffolder/v2/dry-run')
        .set('Authorization', asGuest)
        .send({
          template,
          values: sampleValues(name, 'sample-svc'),
          directoryContents: directoryContents(templateDir),
        });
      expect(res.status).toBe(200);
      const log: string = res.body.log
        .map((e: any) => e.body?.message ?? '')
        .join('\n');
      expect(log).toContain(
        'Prefix sample (from the project), stack sample-dev',
      );
      expect(log).toContain('Safety policy: 0 finding(s)');
      expect(log).toContain(
        'Dry run: sample-dev would be deployed to target local',
      );
      const summary = synthSummary(log, 'sample-dev');
      expect(summary?.resourcesByType['AWS::Lambda::Function']).toBeGreaterThan(
        0,
      );

      // The generated repository, as the dry run rendered it.
      const out = mkdtempSync(join(tmpdir(), `stackyard-${name}-`));
      try {
        for (const file of res.body.directoryContents) {
          const path = resolve(out, file.path);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, Buffer.from(file.base64Content, 'base64'));
        }
        const entity = parse(
          readFileSync(join(out, 'catalog-info.yaml'), 'utf8'),
        );
        expect(entity.metadata.name).toBe('sample-svc');
        expect(entity.metadata.annotations).toEqual({
          'stackyard.io/prefix': 'sample',
          'stackyard.io/project': 'sample',
          'stackyard.io/template': `${name}@${template.metadata.annotations['stackyard.io/template-version']}`,
        });
        // Its own handler tests pass (they need nothing but Node.js).
        const tests = await runNode(['--test', 'test/handlers.test.js'], out);
        expect(tests.output).toMatch(/# fail 0/);
        expect(tests.code).toBe(0);
        // Its stack snapshot is what the guardrails synthesize.
        const snapshot = JSON.parse(
          readFileSync(join(out, 'test/__snapshots__/stack.json'), 'utf8'),
        );
        expect(snapshot).toEqual([summary]);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    90_000,
  );

  it('refuses an entity ref answer that is not one, for tasks and dry runs alike, before anything renders', async () => {
    const values = {
      ...sampleValues('serverless-service', 'hostile-ref'),
      system: `system:default/work-orders\n${smuggledTemplate}`,
    };
    const task = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', asGuest)
      .send({ templateRef: 'template:default/serverless-service', values });
    expect(task.status).toBe(400);
    expect(task.body.errors).toContainEqual(
      expect.objectContaining({ path: ['system'], name: 'pattern' }),
    );

    const templateDir = resolve(repoRoot, 'templates/serverless-service');
    const dryRun = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', asGuest)
      .send({
        template: parse(
          readFileSync(resolve(templateDir, 'template.yaml'), 'utf8'),
        ),
        values,
        directoryContents: directoryContents(templateDir),
      });
    expect(dryRun.status).toBe(400);
    expect(dryRun.body.errors).toContainEqual(
      expect.objectContaining({ path: ['system'], name: 'pattern' }),
    );
  });

  it('registers a Template-carrying free-text answer as the description it is, and nothing else', async () => {
    const description = `x\n${smuggledTemplate}`;
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', asGuest)
      .send({
        templateRef: 'template:default/serverless-service',
        values: {
          ...sampleValues('serverless-service', 'quoted-svc'),
          // Its own stack (quoted-dev), apart from the other tests' sample-dev.
          project: 'quoted',
          description,
        },
      });
    expect(created.status).toBe(201);
    const status = await waitFor(async () => {
      const res = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set('Authorization', asGuest);
      return ['completed', 'failed'].includes(res.body.status)
        ? res.body.status
        : undefined;
    }, 'the scaffolder task to finish');
    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('Authorization', asGuest);
    const log = events.body.map((e: any) => e.body?.message ?? '').join('\n');
    // Rendered, published and registered (the deploy step after it is the
    // next test's subject).
    expect({ status, log }).toEqual({
      status: expect.any(String),
      log: expect.stringContaining('Registered component:default/quoted-svc'),
    });

    const component = await waitFor(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/quoted-svc')
        .set('Authorization', asGuest);
      return res.status === 200 ? res.body : undefined;
    }, 'the catalog to ingest the published catalog-info.yaml');
    expect(component.metadata.description).toBe(description);

    // The published file, processed synchronously the way the catalog
    // processes it (dry run): exactly the one Component.
    const processed = await request(server)
      .post('/api/catalog/locations?dryRun=true')
      .set('Authorization', asGuest)
      .send({
        type: 'stackyard-local',
        target: join(publishDir, 'quoted-svc/catalog-info.yaml'),
      });
    expect(processed.status).toBe(201);
    expect(
      processed.body.entities.map((e: any) => `${e.kind}:${e.metadata.name}`),
    ).toEqual([
      expect.stringMatching(/^Location:generated-/),
      'Component:quoted-svc',
    ]);
  }, 90_000);

  describe('a stackyard-local repository whose catalog file holds more than a service', () => {
    const register = async (name: string, text: string) => {
      mkdirSync(join(publishDir, name), { recursive: true });
      const target = join(publishDir, name, 'catalog-info.yaml');
      writeFileSync(target, text);
      return request(server)
        .post('/api/catalog/locations?dryRun=true')
        .set('Authorization', asGuest)
        .send({ type: 'stackyard-local', target });
    };
    const component = (name: string, annotations = '') =>
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${name}`,
        ...(annotations ? ['  annotations:', `    ${annotations}`] : []),
        'spec:',
        '  type: service',
        '  lifecycle: experimental',
        '  owner: group:default/platform-team',
      ].join('\n');

    it('registers nothing when it smuggles in a Template', async () => {
      const res = await register(
        'smuggler',
        `${component('smuggler')}\n${smuggledTemplate}\n`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        'A locally published repository may not register a "Template" entity ("evil")',
      );
      const evil = await request(server)
        .get('/api/catalog/entities/by-name/template/default/evil')
        .set('Authorization', asGuest);
      expect(evil.status).toBe(404);
    });

    it('refuses a file: source location', async () => {
      const res = await register(
        'file-source',
        component('file-source', 'backstage.io/source-location: file:/etc/'),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        'Annotation backstage.io/source-location must be a url: location',
      );
    });

    it("refuses a kind app-config's catalog.rules do not allow from it", async () => {
      const res = await register(
        'with-system',
        `${component(
          'with-system',
        )}\n---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: rogue\nspec:\n  owner: group:default/platform-team\n`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /system:default\/rogue .* is not of an allowed kind for that location/,
      );
    });
  });

  it('runs the serverless-service template on the local target: published, recorded as a local preview', async () => {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', asGuest)
      .send({
        templateRef: 'template:default/serverless-service',
        values: sampleValues('serverless-service', 'billing-api'),
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

    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('Authorization', asGuest);
    const log = events.body.map((e: any) => e.body?.message ?? '').join('\n');
    expect({ status: task.status, log }).toEqual({
      status: 'completed',
      log: expect.stringMatching(/Synthesized sample-dev: \d+ resources/),
    });
    expect(log).toContain('sample-dev is a local preview on target local');
    expect(readdirSync(publishDir)).toContain('billing-api');
    // It installs on its own: this monorepo's packages are packed into it.
    const published = join(publishDir, 'billing-api');
    const { devDependencies } = JSON.parse(
      readFileSync(join(published, 'package.json'), 'utf8'),
    );
    const tarball =
      /^file:vendor\/stackyard\/(stackyard-cdk-guardrails-[\d.]+\.tgz)$/.exec(
        devDependencies['@stackyard/cdk-guardrails'],
      )?.[1];
    expect(readdirSync(join(published, 'vendor/stackyard'))).toContain(tarball);
    expect(readdirSync(published)).toContain('package-lock.json');
    expect(log).toContain('Registered component:default/billing-api');
    const registered = await waitFor(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/billing-api')
        .set('Authorization', asGuest);
      return res.status === 200 ? res.body : undefined;
    }, 'the catalog to ingest the published catalog-info.yaml');
    expect(registered.spec.owner).toBe('group:default/platform-team');
    expect(
      registered.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe(
      `stackyard-local:${join(publishDir, 'billing-api/catalog-info.yaml')}`,
    );

    const environments = await request(server)
      .get(
        '/api/stackyard/environments?entityRef=component:default/billing-api',
      )
      .set('Authorization', asGuest);
    expect(environments.status).toBe(200);
    expect(environments.body.items).toEqual([
      expect.objectContaining({
        stackName: 'sample-dev',
        target: 'local',
        status: 'ready',
        // Its functions run in the preview; its HTTP API route is not served.
        statusReason:
          'Local preview: not deployed to AWS; HTTP API routes POST /jobs are not run locally',
        outputs: expect.objectContaining({
          NotRunLocally: 'HTTP API routes POST /jobs',
          RunsLocally: 'functions intake, worker',
        }),
        templateName: 'serverless-service',
        // The person who ran the wizard, not the scaffolder's own identity.
        createdBy: 'user:default/guest',
      }),
    ]);
  }, 90_000);
});
