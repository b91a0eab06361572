import { ConfigReader } from '@backstage/config';
import { readOptions } from './readOptions';

describe('readOptions', () => {
  it('defaults to a single local target and global schedules', () => {
    const options = readOptions(new ConfigReader({}));
    expect([...options.targets.values()]).toEqual([
      { name: 'local', type: 'local' },
    ]);
    expect(options.protectedStages).toEqual(['prod', 'production']);
    expect(options.reconcileSchedule).toMatchObject({
      frequency: { minutes: 1 },
      scope: 'global',
    });
    expect(options.operationsSchedule.scope).toBe('global');
  });

  it('reads preview socket options, with defaults', () => {
    expect(readOptions(new ConfigReader({})).sockets).toEqual({
      recentFrames: 200,
      remoteTimeoutMs: 5000,
    });
    const options = readOptions(
      new ConfigReader({
        stackyard: { sockets: { recentFrames: 50, remoteTimeoutSeconds: 2 } },
      }),
    );
    expect(options.sockets).toEqual({
      recentFrames: 50,
      remoteTimeoutMs: 2000,
    });
    expect(() =>
      readOptions(
        new ConfigReader({ stackyard: { sockets: { recentFrames: 0 } } }),
      ),
    ).toThrow(/stackyard.sockets.recentFrames must be a positive number/);
  });

  it('reads aws targets and schedules, forcing global scope', () => {
    const options = readOptions(
      new ConfigReader({
        stackyard: {
          targets: [
            { name: 'local', type: 'local' },
            {
              name: 'sandbox',
              type: 'aws',
              accountId: '123456789012',
              region: 'eu-west-1',
            },
          ],
          reconciler: {
            schedule: {
              frequency: { minutes: 5 },
              timeout: { minutes: 2 },
              scope: 'local',
            },
          },
          previews: { maxExtensionHours: 24, defaultTtlHours: 12 },
        },
      }),
    );
    expect(options.targets.get('sandbox')).toEqual({
      name: 'sandbox',
      type: 'aws',
      accountId: '123456789012',
      region: 'eu-west-1',
      endpoint: undefined,
    });
    expect(options.reconcileSchedule).toMatchObject({
      frequency: { minutes: 5 },
      scope: 'global',
    });
    expect(options.maxExtensionHours).toBe(24);
    expect(options.defaultTtlHours).toBe(12);
  });

  it.each([
    [
      { targets: [{ name: 'Bad Name', type: 'local' }] },
      /name: "Bad Name" must be lower-case/,
    ],
    [
      { events: { retentionPerEnvironment: 0 } },
      /retentionPerEnvironment must be a positive number/,
    ],
  ])('rejects %j', (stackyard, message) => {
    expect(() => readOptions(new ConfigReader({ stackyard }))).toThrow(message);
  });

  it('stops on a bad shared key with the message the scaffolder module gives too', () => {
    // The same string is asserted in scaffolder-backend-module-stackyard's
    // lib/config.test.ts; the rules themselves are tested in
    // @stackyard/plugin-stackyard-node.
    expect(() =>
      readOptions(
        new ConfigReader({
          stackyard: {
            targets: [
              { name: 'local', type: 'local' },
              {
                name: 'prod',
                type: 'aws',
                accountId: '123456789012',
                region: 'not a region',
              },
            ],
          },
        }),
      ),
    ).toThrow(
      new Error(
        'stackyard.targets[1].region: "not a region" is not an AWS region, such as "eu-west-1"',
      ),
    );
  });

  it('lower-cases protected stages', () => {
    expect(
      readOptions(
        new ConfigReader({ stackyard: { protectedStages: ['Prod'] } }),
      ).protectedStages,
    ).toEqual(['prod']);
  });
});
