import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { listTargetsResponseSchema } from '@stackyard/plugin-stackyard-common';
import request from 'supertest';
import { stackyardPlugin } from '../plugin';

const sandbox = {
  name: 'sandbox',
  type: 'aws',
  accountId: '123456789012',
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:4566',
  stages: ['staging', 'prod'],
};

/** Credentials of the sandbox account, as a platform team configures them. */
const accounts = [
  {
    accountId: '123456789012',
    accessKeyId: 'AKIATARGETROUTETEST0',
    secretAccessKey: 'target-route-secret-access-key-0123456789',
    roleName: 'stackyard-deployer',
    externalId: 'target-route-external-id',
  },
];

async function portalWith(targets: object[]) {
  const { server } = await startTestBackend({
    features: [
      stackyardPlugin,
      mockServices.scheduler.factory(),
      mockServices.rootConfig.factory({
        data: { stackyard: { targets }, aws: { accounts } },
      }),
    ],
  });
  return server;
}

describe('GET /targets', () => {
  it('lists every configured target with its account, region and stages, and nothing secret', async () => {
    const server = await portalWith([
      { name: 'local', type: 'local' },
      sandbox,
    ]);
    const res = await request(server)
      .get('/api/stackyard/targets')
      .set('Authorization', mockCredentials.user.header());

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { name: 'local', type: 'local' },
        {
          name: 'sandbox',
          type: 'aws',
          accountId: '123456789012',
          region: 'eu-west-1',
          stages: ['staging', 'prod'],
        },
      ],
    });
    expect(listTargetsResponseSchema.parse(res.body)).toEqual(res.body);
    const text = res.text;
    for (const secret of [
      accounts[0].accessKeyId,
      accounts[0].secretAccessKey,
      accounts[0].roleName,
      accounts[0].externalId,
      sandbox.endpoint,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('lists a target added to stackyard.targets, with no other change', async () => {
    const before = await portalWith([{ name: 'local', type: 'local' }]);
    const after = await portalWith([
      { name: 'local', type: 'local' },
      {
        ...sandbox,
        name: 'sandbox-us',
        region: 'us-east-1',
        stages: undefined,
      },
    ]);
    const names = async (server: typeof before) =>
      (
        await request(server)
          .get('/api/stackyard/targets')
          .set('Authorization', mockCredentials.user.header())
      ).body.items.map((t: { name: string }) => t.name);

    expect(await names(before)).toEqual(['local']);
    expect(await names(after)).toEqual(['local', 'sandbox-us']);
  });

  it('lists the embedded local target when none is configured', async () => {
    const { server } = await startTestBackend({
      features: [
        stackyardPlugin,
        mockServices.scheduler.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const res = await request(server)
      .get('/api/stackyard/targets')
      .set('Authorization', mockCredentials.service.header());
    expect(res.body).toEqual({ items: [{ name: 'local', type: 'local' }] });
  });

  it('refuses an anonymous caller', async () => {
    const server = await portalWith([{ name: 'local', type: 'local' }]);
    const res = await request(server)
      .get('/api/stackyard/targets')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
