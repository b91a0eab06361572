import { resolve } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readStackyardConfig } from './readStackyardConfig';

const read = (stackyard: object) =>
  readStackyardConfig(new ConfigReader({ stackyard }));

describe('readStackyardConfig', () => {
  it('defaults to the embedded local target and the protected production stages', () => {
    const config = readStackyardConfig(new ConfigReader({}));
    expect([...config.targets.values()]).toEqual([
      { name: 'local', type: 'local' },
    ]);
    expect(config.protectedStages).toEqual(['prod', 'production']);
    expect(config.localPublishDirectory).toBeUndefined();
  });

  it('reads aws and local targets with their allowed stages, in order', () => {
    const config = read({
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
      scaffolder: { localPublishDirectory: '/srv/repos' },
    });
    expect([...config.targets.keys()]).toEqual(['local', 'sandbox']);
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
  });

  it('resolves a relative publish directory against the working directory', () => {
    expect(
      read({ scaffolder: { localPublishDirectory: 'repos' } })
        .localPublishDirectory,
    ).toBe(resolve('repos'));
  });

  it('reads the endpoint of an aws target, for testing against an AWS-compatible endpoint', () => {
    const config = read({
      targets: [
        {
          name: 'localstack',
          type: 'aws',
          accountId: '000000000000',
          region: 'us-east-1',
          endpoint: 'http://127.0.0.1:4566',
        },
      ],
    });
    expect(config.targets.get('localstack')).toMatchObject({
      endpoint: 'http://127.0.0.1:4566',
    });
  });

  it('lower-cases protected stages, so protection does not depend on case', () => {
    expect(read({ protectedStages: ['Prod', 'LIVE'] }).protectedStages).toEqual(
      ['prod', 'live'],
    );
  });

  it.each([
    [
      { name: 'Bad Name', type: 'local' },
      'stackyard.targets[0].name: "Bad Name" must be lower-case letters, digits and hyphens, starting with a letter',
    ],
    [
      { name: 'Sandbox', type: 'local' },
      'stackyard.targets[0].name: "Sandbox" must be lower-case',
    ],
    [
      { name: 'x', type: 'gcp' },
      'stackyard.targets[0].type: "gcp" must be "aws" or "local"',
    ],
    [
      { name: 'a', type: 'aws', accountId: '12', region: 'x' },
      'stackyard.targets[0].accountId: "12" must be 12 digits',
    ],
    [
      { name: 'x', type: 'aws', accountId: '1234', region: 'eu-west-1' },
      'stackyard.targets[0].accountId: "1234" must be 12 digits',
    ],
    [
      { name: 'x', type: 'aws', accountId: '123456789012', region: 'mars' },
      'stackyard.targets[0].region: "mars" is not an AWS region',
    ],
    [
      { name: 'x', type: 'local', stages: ['dev', 'dev-1'] },
      'stackyard.targets[0].stages[1]: stage "dev-1" is not allowed',
    ],
    [
      {
        name: 'x',
        type: 'aws',
        accountId: '123456789012',
        region: 'eu-west-1',
        endpoint: 'localhost:4566',
      },
      'stackyard.targets[0].endpoint: "localhost:4566" must be an http: or https: URL',
    ],
  ])(
    'refuses target %j, naming the key and quoting the bad value',
    (target, message) => {
      expect(() => read({ targets: [target] })).toThrow(message);
    },
  );

  it('refuses an aws target without its account or region, naming the key', () => {
    expect(() =>
      read({ targets: [{ name: 'x', type: 'aws', region: 'eu-west-1' }] }),
    ).toThrow(/stackyard\.targets\[0\]\.accountId/);
  });

  it('refuses a target name used twice', () => {
    expect(() =>
      read({
        targets: [
          { name: 'a', type: 'local' },
          { name: 'a', type: 'local' },
        ],
      }),
    ).toThrow('stackyard.targets[1].name: "a" is used twice');
  });

  it('refuses a protected stage that is not a stage name', () => {
    expect(() => read({ protectedStages: ['prod', 'prod-eu'] })).toThrow(
      'stackyard.protectedStages[1]: stage "prod-eu" is not allowed',
    );
  });
});
