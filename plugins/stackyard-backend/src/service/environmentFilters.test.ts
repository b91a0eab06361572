import { mockCredentials } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import request from 'supertest';
import { loopbackTarget } from '../__testUtils__/loopbackAws';
import { expectConforms } from '../__testUtils__/openApiSpec';
import { createReplica } from '../__testUtils__/replica';
import { switchableCatalog } from '../__testUtils__/switchableCatalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const eveHeader = mockCredentials.user.header('user:default/eve');

describe.each(databases.eachSupportedId())(
  'GET /environments filters on %s with a loopback AWS endpoint',
  databaseId => {
    let server: LoopbackAws;

    beforeEach(async () => {
      server = await LoopbackAws.start();
    });
    afterEach(() => server.stop());

    /** A discovered stack, wo-73-dev, whose entity is not in the catalog. */
    async function replicaWithMissingEntity() {
      const { catalog } = switchableCatalog([]);
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
        catalog,
      });
      server.cloudFormation.addStack({
        name: 'wo-73-dev',
        status: 'CREATE_COMPLETE',
        tags: {
          'stackyard:entity-ref': 'component:default/gone',
          'stackyard:prefix': 'wo-73',
          'stackyard:stage': 'dev',
        },
      });
      await replica.reconciler.reconcileOnce();
      return { replica };
    }

    it('filters environments by template, cost center, expiry window, missing entity and drift', async () => {
      const { replica } = await replicaWithMissingEntity();
      const target = loopbackTarget(server);
      const soon = new Date(Date.now() + 2 * 3600_000).toISOString();
      const later = new Date(Date.now() + 48 * 3600_000).toISOString();
      const ids: Record<string, string> = {};
      for (const [prefix, extra] of [
        ['a', { templateName: 'service', costCenter: 'cc-1', expiresAt: soon }],
        ['b', { templateName: 'worker', costCenter: 'cc-2', expiresAt: later }],
      ] as const) {
        const { environment } = await replica.store.registerDeployment({
          request: {
            entityRef: 'component:default/gone',
            target: 'sandbox',
            prefix,
            stage: 'preview',
            stackName: `${prefix}-preview`,
            status: 'ready',
            ...extra,
          },
          target,
          actor: 'user:default/ada',
        });
        ids[prefix] = environment.id;
      }
      await replica.drift.store.finish(
        ids.a,
        { drifted: true, driftedResources: 1, resources: [] },
        new Date(),
      );
      await replica.drift.store.finish(
        ids.b,
        { drifted: false, driftedResources: 0, resources: [] },
        new Date(),
      );
      const names = async (query: string) => {
        const res = expectConforms(
          'get',
          '/environments',
          await request(replica.app)
            .get(`/environments?${query}`)
            .set('Authorization', eveHeader),
        );
        expect(res.status).toBe(200);
        return res.body.items.map((e: any) => e.stackName).sort();
      };
      expect(await names('templateName=service')).toEqual(['a-preview']);
      expect(await names('costCenter=cc-2')).toEqual(['b-preview']);
      expect(await names('expiringWithinHours=24')).toEqual(['a-preview']);
      expect(await names('expiringWithinHours=72')).toEqual([
        'a-preview',
        'b-preview',
      ]);
      expect(await names('entityMissing=true')).toEqual(['wo-73-dev']);
      expect(await names('entityMissing=false&stage=preview')).toEqual([
        'a-preview',
        'b-preview',
      ]);
      expect(await names('drifted=true')).toEqual(['a-preview']);
      expect(await names('drifted=false&stage=preview')).toEqual(['b-preview']);
      // Never checked counts as not drifted.
      expect(await names('drifted=false&stage=dev')).toEqual(['wo-73-dev']);
      const bad = await request(replica.app)
        .get('/environments?entityMissing=yes')
        .set('Authorization', eveHeader);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(
        /entityMissing: must be "true" or "false"/,
      );
    });
  },
);
