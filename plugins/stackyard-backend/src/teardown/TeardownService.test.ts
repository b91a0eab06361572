import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { loopbackTarget } from '../__testUtils__/loopbackAws';
import { createReplica, permissionsAnswering } from '../__testUtils__/replica';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'DefaultTeardownService on %s against a loopback AWS endpoint',
  databaseId => {
    let server: LoopbackAws;

    beforeEach(async () => {
      server = await LoopbackAws.start();
    });
    afterEach(() => server.stop());

    it('checks the delete permission on the entity', async () => {
      const permissions = permissionsAnswering(AuthorizeResult.DENY);
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
        permissions,
      });
      const { environment } = await replica.store.registerDeployment({
        request: {
          entityRef: 'component:default/orders',
          target: 'sandbox',
          prefix: 'orders',
          stage: 'dev',
          stackName: 'orders-dev',
          status: 'ready',
        },
        target: loopbackTarget(server),
        actor: 'a',
      });
      await expect(
        replica.teardown.requestTeardown({
          environmentId: environment.id,
          credentials: mockCredentials.user('user:default/eve'),
        }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'stackyard.environment.delete',
            }),
            resourceRef: 'component:default/orders',
          },
        ],
        { credentials: mockCredentials.user('user:default/eve') },
      );
    });

    it('records a refused DeleteStack as a failed operation, audited as failed', async () => {
      const replica = await createReplica({
        knex: await databases.init(databaseId),
        server,
      });
      server.cloudFormation.addStack({
        name: 'orders-dev',
        status: 'CREATE_COMPLETE',
        terminationProtection: true,
      });
      const { environment } = await replica.store.registerDeployment({
        request: {
          entityRef: 'component:default/orders',
          target: 'sandbox',
          prefix: 'orders',
          stage: 'dev',
          stackName: 'orders-dev',
          status: 'ready',
        },
        target: loopbackTarget(server),
        actor: 'a',
      });
      const { operation } = await replica.teardown.requestTeardown({
        environmentId: environment.id,
        credentials: mockCredentials.user('user:default/ada'),
      });
      expect(operation.state).toBe('failed');
      expect(operation.error).toMatch(/TerminationProtection is enabled/);
      expect(await replica.store.getEnvironment(environment.id)).toMatchObject({
        status: 'failed',
        activeOperationId: undefined,
      });
      expect(replica.auditEvents[0]).toMatchObject({
        outcome: 'fail',
        error: expect.stringMatching(/TerminationProtection/),
      });
    });
  },
);
