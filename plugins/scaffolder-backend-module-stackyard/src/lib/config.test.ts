import { ConfigReader } from '@backstage/config';
import { readStackyardActionsConfig } from './config';

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

  it('reads aws and local targets with their allowed stages', () => {
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
          protectedStages: ['prod'],
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

  it.each([
    [{ name: 'Sandbox', type: 'local' }, /name "Sandbox" must be lower-case/],
    [{ name: 'x', type: 'gcp' }, /type "gcp" must be "aws" or "local"/],
    [
      { name: 'x', type: 'aws', accountId: '1234', region: 'eu-west-1' },
      /accountId "1234" must be 12 digits/,
    ],
    [
      { name: 'x', type: 'aws', accountId: '123456789012', region: 'mars' },
      /region "mars"/,
    ],
    [
      { name: 'x', type: 'local', stages: ['dev-1'] },
      /stage "dev-1" is not allowed/,
    ],
    [
      {
        name: 'x',
        type: 'aws',
        accountId: '123456789012',
        region: 'eu-west-1',
        endpoint: 'localhost:4566',
      },
      /stackyard\.targets\[0\]: endpoint "localhost:4566" must be an http: or https: URL/,
    ],
  ])('refuses target %j, quoting the bad value', (target, message) => {
    expect(() =>
      readStackyardActionsConfig(
        new ConfigReader({ stackyard: { targets: [target] } }),
      ),
    ).toThrow(message);
  });

  it('reads the endpoint of an aws target, for testing against an AWS-compatible endpoint', () => {
    const config = readStackyardActionsConfig(
      new ConfigReader({
        stackyard: {
          targets: [
            {
              name: 'localstack',
              type: 'aws',
              accountId: '000000000000',
              region: 'us-east-1',
              endpoint: 'http://127.0.0.1:4566',
            },
          ],
        },
      }),
    );
    expect(config.targets.get('localstack')).toMatchObject({
      endpoint: 'http://127.0.0.1:4566',
    });
  });

  it('refuses a target name used twice', () => {
    expect(() =>
      readStackyardActionsConfig(
        new ConfigReader({
          stackyard: {
            targets: [
              { name: 'a', type: 'local' },
              { name: 'a', type: 'local' },
            ],
          },
        }),
      ),
    ).toThrow(/name "a" is used twice/);
  });
});
