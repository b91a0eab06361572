import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { readStackyardActionsConfig } from '../lib/config';
import { createCatalogRegisterLocalAction } from './catalogRegisterLocal';
import { examples } from './catalogRegisterLocal.examples';

const catalogInfo = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
spec: { type: service, lifecycle: experimental, owner: group:default/team }
`;

/**
 * A loopback HTTP server standing in for the catalog: POST /locations answers
 * `reply`; like the real catalog, it serves the registered entity (GET
 * /entities/by-name/...) only `processingMs` after the location was added,
 * and POST /refresh answers 404 for an entity it has not emitted yet.
 */
async function fakeCatalog(
  reply: { status: number; body: object },
  { processingMs = 0 }: { processingMs?: number } = {},
) {
  const requests: { path?: string; body: any; user?: string }[] = [];
  const catalogAuth = mockServices.auth({ pluginId: 'catalog' });
  let servedFrom = Infinity;
  const locationRef = 'location:default/generated-0123abcd';
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', chunk => (data += chunk));
    req.on('end', async () => {
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      const credentials = await catalogAuth.authenticate(token);
      const path = `${req.method} ${req.url}`;
      requests.push({
        path,
        body: data ? JSON.parse(data) : undefined,
        user: (credentials.principal as { userEntityRef?: string })
          .userEntityRef,
      });
      const send = (status: number, body: object = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const processed = Date.now() >= servedFrom;
      if (path === 'POST /api/catalog/locations') {
        if (reply.status === 201 || reply.status === 409) {
          servedFrom = Math.min(servedFrom, Date.now() + processingMs);
        }
        send(
          reply.status,
          reply.status === 201
            ? { location: { entityRef: locationRef }, entities: [] }
            : reply.body,
        );
      } else if (path.startsWith('GET /api/catalog/entities/by-name/')) {
        send(processed ? 200 : 404);
      } else if (path === 'POST /api/catalog/refresh') {
        const ref = JSON.parse(data).entityRef;
        send(ref === locationRef || processed ? 200 : 404);
      } else {
        send(404);
      }
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    baseUrl: `http://127.0.0.1:${port}/api/catalog`,
    close: () => new Promise(r => server.close(r)),
  };
}

describe('stackyard:catalog:register-local (loopback catalog)', () => {
  let root: string;
  let publishDir: string;
  let repoPath: string;
  let workspacePath: string;
  let catalog: Awaited<ReturnType<typeof fakeCatalog>>;

  const input = (change: object = {}) => ({
    ...yaml.parse(examples[0].example).steps[0].input,
    repoPath,
    ...change,
  });

  function actionFor(
    reply = { status: 201, body: {} },
    {
      processingMs,
      catalogWaitSeconds,
    }: { processingMs?: number; catalogWaitSeconds?: number } = {},
  ) {
    return fakeCatalog(reply, { processingMs }).then(c => {
      catalog = c;
      return createCatalogRegisterLocalAction({
        config: readStackyardActionsConfig(
          new ConfigReader({
            stackyard: {
              scaffolder: {
                localPublishDirectory: publishDir,
                catalogWaitSeconds,
              },
            },
          }),
        ),
        auth: mockServices.auth({ pluginId: 'scaffolder' }),
        discovery: {
          getBaseUrl: async () => catalog.baseUrl,
          getExternalBaseUrl: async () => catalog.baseUrl,
        },
      });
    });
  }

  const asAlice = () =>
    Promise.resolve(mockCredentials.user('user:default/alice'));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'stackyard-register-'));
    publishDir = join(root, 'repos');
    repoPath = join(publishDir, 'orders');
    workspacePath = join(root, 'workspace');
    mkdirSync(repoPath, { recursive: true });
    mkdirSync(workspacePath);
    writeFileSync(join(repoPath, 'catalog-info.yaml'), catalogInfo);
    writeFileSync(join(workspacePath, 'catalog-info.yaml'), catalogInfo);
  });
  afterEach(async () => {
    await catalog?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the example: adds a stackyard-local location on behalf of the initiator', async () => {
    const action = await actionFor();
    const ctx = createMockActionContext({ input: input(), workspacePath });
    ctx.getInitiatorCredentials = asAlice;
    await action.handler(ctx);
    const target = join(repoPath, 'catalog-info.yaml');
    expect(catalog.requests).toEqual([
      {
        path: 'POST /api/catalog/locations',
        body: { type: 'stackyard-local', target },
        user: 'user:default/alice',
      },
      // Already processed: the first read finds it.
      {
        path: 'GET /api/catalog/entities/by-name/component/default/orders',
        body: undefined,
        user: 'user:default/alice',
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
    expect(ctx.output).toHaveBeenCalledWith('catalogInfoPath', target);
  });

  it('waits until the catalog has processed the new location, refreshing it, before it links to the entity', async () => {
    const action = await actionFor(undefined, { processingMs: 1500 });
    const ctx = createMockActionContext({ input: input(), workspacePath });
    ctx.getInitiatorCredentials = asAlice;
    const started = Date.now();
    await action.handler(ctx);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    const paths = catalog.requests.map(r => r.path);
    expect(paths.at(-1)).toBe(
      'GET /api/catalog/entities/by-name/component/default/orders',
    );
    // Asked for a refresh of the entity, then (not emitted yet) of its
    // location, on behalf of the initiator.
    expect(
      catalog.requests
        .filter(r => r.path === 'POST /api/catalog/refresh')
        .slice(0, 2),
    ).toEqual([
      {
        path: 'POST /api/catalog/refresh',
        body: { entityRef: 'component:default/orders' },
        user: 'user:default/alice',
      },
      {
        path: 'POST /api/catalog/refresh',
        body: { entityRef: 'location:default/generated-0123abcd' },
        user: 'user:default/alice',
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
    expect(ctx.output).not.toHaveBeenCalledWith('notice', expect.anything());
  });

  it('says so plainly, and outputs no entityRef to link to, when the catalog has not processed it in time', async () => {
    const action = await actionFor(undefined, {
      processingMs: 60_000,
      catalogWaitSeconds: 1,
    });
    const ctx = createMockActionContext({ input: input(), workspacePath });
    const started = Date.now();
    await action.handler(ctx);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ctx.output).not.toHaveBeenCalledWith('entityRef', expect.anything());
    expect(ctx.output).toHaveBeenCalledWith(
      'notice',
      'Not in the catalog yet: component:default/orders is registered, but the catalog had not processed it after 1 s, ' +
        'so there is no link to it yet. It appears in the catalog once processed; if it never does, ' +
        "the catalog's log names the problem with its catalog-info.yaml.",
    );
  });

  it('with catalogWaitSeconds 0 links to the entity at once, without reading it', async () => {
    const action = await actionFor(undefined, {
      processingMs: 60_000,
      catalogWaitSeconds: 0,
    });
    const ctx = createMockActionContext({ input: input(), workspacePath });
    await action.handler(ctx);
    expect(catalog.requests.map(r => r.path)).toEqual([
      'POST /api/catalog/locations',
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
  });

  it('treats an already registered location (409) as registered', async () => {
    const action = await actionFor({
      status: 409,
      body: { error: { name: 'ConflictError', message: 'exists' } },
    });
    const ctx = createMockActionContext({ input: input(), workspacePath });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
  });

  it("fails with the catalog's message when it refuses the location", async () => {
    const action = await actionFor({
      status: 400,
      body: {
        error: {
          name: 'InputError',
          message: 'Registered locations must be of an allowed type ["url"]',
        },
      },
    });
    const ctx = createMockActionContext({ input: input(), workspacePath });
    await expect(action.handler(ctx)).rejects.toThrow(
      /The catalog refused to register .*orders\/catalog-info\.yaml \(HTTP 400\): Registered locations must be of an allowed type \["url"\]/,
    );
  });

  it('in a dry run describes the rendered file and registers nothing', async () => {
    const action = await actionFor();
    rmSync(repoPath, { recursive: true });
    // createMockActionContext does not pass isDryRun through.
    const ctx = {
      ...createMockActionContext({ input: input(), workspacePath }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(catalog.requests).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
  });

  it.each([
    [
      { repoPath: '/etc' },
      /repoPath "\/etc" is outside the local publish directory/,
    ],
    [
      { repoPath: 'orders/../../..' },
      /repoPath "orders\/..\/..\/.." is outside the local publish directory/,
    ],
    [{ repoPath: '.' }, /is the local publish directory itself/],
    [
      { catalogInfoPath: '../../../etc/x.yaml' },
      /catalogInfoPath "..\/..\/..\/etc\/x.yaml" is outside the repository/,
    ],
    [
      { catalogInfoPath: '/etc/passwd' },
      /catalogInfoPath "\/etc\/passwd" must be a relative path to a .yaml file/,
    ],
    [{ catalogInfoPath: 'missing.yaml' }, /There is no catalog file at/],
  ])(
    'refuses %j with an InputError and calls no catalog',
    async (change, message) => {
      const action = await actionFor();
      const ctx = createMockActionContext({
        input: input(change),
        workspacePath,
      });
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      expect(catalog.requests).toEqual([]);
    },
  );

  it('refuses a catalog file without an entity', async () => {
    const action = await actionFor();
    writeFileSync(join(repoPath, 'catalog-info.yaml'), 'just: data\n');
    const ctx = createMockActionContext({ input: input(), workspacePath });
    await expect(action.handler(ctx)).rejects.toThrow(
      /holds no entity with a kind and a name/,
    );
    expect(catalog.requests).toEqual([]);
  });

  it('is refused until a local publish directory is configured', async () => {
    const action = createCatalogRegisterLocalAction({
      config: readStackyardActionsConfig(new ConfigReader({})),
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
    });
    const ctx = createMockActionContext({ input: input(), workspacePath });
    await expect(action.handler(ctx)).rejects.toThrow(
      /stackyard\.scaffolder\.localPublishDirectory/,
    );
  });
});
