import { ConfigReader } from '@backstage/config';
import { readStackyardActionsConfig } from './config';

// The shared keys' rules (targets, stages, endpoint, protected stages) are
// tested beside their reader in @stackyard/plugin-stackyard-node.
describe('readStackyardActionsConfig', () => {
  it('defaults to the embedded local target and the protected production stages', () => {
    const config = readStackyardActionsConfig(
      new ConfigReader({ app: { baseUrl: 'http://localhost:3000/' } }),
    );
    expect([...config.targets.values()]).toEqual([
      { name: 'local', type: 'local' },
    ]);
    expect(config.protectedStages).toEqual(['prod', 'production']);
    expect(config.localPublishDirectory).toBeUndefined();
    expect(config.portalBaseUrl).toBe('http://localhost:3000');
    expect(config.catalogWaitMs).toBe(30_000);
  });

  it('reads the shared keys and its own', () => {
    const config = readStackyardActionsConfig(
      new ConfigReader({
        stackyard: {
          targets: [
            { name: 'local', type: 'local', stages: ['dev', 'preview'] },
            {
              name: 'sandbox',
              type: 'aws',
              accountId: '123456789012',
              region: 'eu-west-1',
            },
          ],
          protectedStages: ['Prod'],
          scaffolder: {
            localPublishDirectory: '/srv/repos',
            portalBaseUrl: 'https://portal.example.com',
            catalogWaitSeconds: 0,
          },
        },
      }),
    );
    expect(config.targets.get('local')).toEqual({
      name: 'local',
      type: 'local',
      stages: ['dev', 'preview'],
    });
    expect(config.targets.get('sandbox')).toEqual({
      name: 'sandbox',
      type: 'aws',
      accountId: '123456789012',
      region: 'eu-west-1',
      stages: undefined,
    });
    expect(config.protectedStages).toEqual(['prod']);
    expect(config.localPublishDirectory).toBe('/srv/repos');
    expect(config.portalBaseUrl).toBe('https://portal.example.com');
    expect(config.catalogWaitMs).toBe(0);
  });

  it.each([-1, 601])('refuses catalogWaitSeconds %j', seconds => {
    expect(() =>
      readStackyardActionsConfig(
        new ConfigReader({
          stackyard: { scaffolder: { catalogWaitSeconds: seconds } },
        }),
      ),
    ).toThrow(
      `stackyard.scaffolder.catalogWaitSeconds: ${seconds} must be a number of seconds from 0 to 600`,
    );
  });

  it('stops on a bad shared key with the message the backend plugin gives too', () => {
    // The same string is asserted in stackyard-backend's readOptions.test.ts.
    expect(() =>
      readStackyardActionsConfig(
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
});
