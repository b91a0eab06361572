import { mockCredentials } from '@backstage/backend-test-utils';
import { stackyardEnvironmentExtendPermission } from '@stackyard/plugin-stackyard-common';
import { permissionsByOwnership } from '../__testUtils__/ownership';
import { recordingAuditor } from '../__testUtils__/recorders';
import { EnvironmentGuard, actorOf } from './EnvironmentGuard';

describe('actorOf', () => {
  it('names users by entity ref and services by subject', () => {
    expect(actorOf(mockCredentials.user('user:default/ada'))).toBe(
      'user:default/ada',
    );
    expect(actorOf(mockCredentials.service('external:ci'))).toBe(
      'service:external:ci',
    );
    expect(actorOf(mockCredentials.none())).toBe('unknown');
  });
});

describe('EnvironmentGuard', () => {
  function setup() {
    const { permissions, decisions } = permissionsByOwnership({
      'component:default/orders': ['user:default/ada'],
    });
    const { auditor, events } = recordingAuditor();
    return {
      guard: EnvironmentGuard.create({ permissions, auditor }),
      decisions,
      events,
    };
  }

  it('runs the mutation for a caller holding the permission, audited as the person', async () => {
    const { guard, events, decisions } = setup();
    const result = await guard.run(
      {
        eventId: 'environment-extend',
        credentials: mockCredentials.user('user:default/ada'),
        meta: { environmentId: 'e1' },
      },
      async g => {
        await g.authorize(
          stackyardEnvironmentExtendPermission,
          'component:default/orders',
          'no',
        );
        g.record({ hours: 2 });
        return 'done';
      },
    );
    expect(result).toBe('done');
    expect(decisions).toEqual([
      {
        permission: 'stackyard.environment.extend',
        entityRef: 'component:default/orders',
        user: 'user:default/ada',
        result: 'ALLOW',
      },
    ]);
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'environment-extend',
        outcome: 'success',
        resultMeta: {
          environmentId: 'e1',
          actor: 'user:default/ada',
          entityRef: 'component:default/orders',
          permission: 'stackyard.environment.extend',
          hours: 2,
        },
      }),
    ]);
  });

  it('refuses another user with NotAllowedError before the mutation runs, audited as failed', async () => {
    const { guard, events } = setup();
    const mutation = jest.fn();
    await expect(
      guard.run(
        {
          eventId: 'environment-extend',
          credentials: mockCredentials.user('user:default/eve'),
        },
        async g => {
          await g.authorize(
            stackyardEnvironmentExtendPermission,
            'component:default/orders',
            'You may not extend previews of component:default/orders',
          );
          mutation();
        },
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'You may not extend previews of component:default/orders',
    });
    expect(mutation).not.toHaveBeenCalled();
    expect(events).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        error: 'You may not extend previews of component:default/orders',
        meta: { actor: 'user:default/eve' },
      }),
    ]);
  });
});
