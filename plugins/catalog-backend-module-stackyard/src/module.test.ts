import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleStackyard from '.';

const component = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing-api
spec:
  type: service
  lifecycle: experimental
  owner: group:default/platform-team
`;

describe('catalogModuleStackyard (installed in a catalog backend)', () => {
  let root: string;
  let target: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'stackyard-catalog-module-'));
    mkdirSync(join(root, 'billing-api'));
    target = join(root, 'billing-api/catalog-info.yaml');
    writeFileSync(target, component);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function dryRunLocalLocation(stackyard: object) {
    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Location'] }],
            },
            stackyard,
          },
        }),
        catalogPlugin,
        catalogModuleStackyard,
      ],
    });
    try {
      return await request(backend.server)
        .post('/api/catalog/locations?dryRun=true')
        .set('Authorization', mockCredentials.user.header())
        .send({ type: 'stackyard-local', target });
    } finally {
      await backend.stop();
    }
  }

  it('reads stackyard-local locations inside the local publish directory', async () => {
    const res = await dryRunLocalLocation({
      scaffolder: { localPublishDirectory: root },
    });
    expect(res.status).toBe(201);
    expect(
      res.body.entities.map((e: any) => `${e.kind}:${e.metadata.name}`),
    ).toContain('Component:billing-api');
  }, 60_000);

  it('adds nothing without a local publish directory: the catalog refuses the type', async () => {
    const res = await dryRunLocalLocation({});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Registered locations must be of an allowed type ["url"]',
    );
  }, 60_000);
});
