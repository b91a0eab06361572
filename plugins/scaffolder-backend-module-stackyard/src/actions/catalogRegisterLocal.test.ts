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

/** A loopback HTTP server standing in for the catalog's POST /locations. */
async function fakeCatalog(reply: { status: number; body: object }) {
  const requests: { path?: string; body: any; user?: string }[] = [];
  const catalogAuth = mockServices.auth({ pluginId: 'catalog' });
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', chunk => (data += chunk));
    req.on('end', async () => {
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      const credentials = await catalogAuth.authenticate(token);
      requests.push({
        path: `${req.method} ${req.url}`,
        body: JSON.parse(data),
        user: (credentials.principal as { userEntityRef?: string })
          .userEntityRef,
      });
      res.writeHead(reply.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reply.body));
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

  function actionFor(reply = { status: 201, body: {} }, directory?: string) {
    return fakeCatalog(reply).then(c => {
      catalog = c;
      return createCatalogRegisterLocalAction({
        config: readStackyardActionsConfig(
          new ConfigReader({
            stackyard: {
              scaffolder: { localPublishDirectory: directory ?? publishDir },
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
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
    expect(ctx.output).toHaveBeenCalledWith('catalogInfoPath', target);
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
