import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readStackyardConfig } from './readStackyardConfig';
import { selectTarget } from './selectTarget';

const config = readStackyardConfig(
  new ConfigReader({
    stackyard: {
      targets: [
        { name: 'local', type: 'local' },
        {
          name: 'sandbox',
          type: 'aws',
          accountId: '123456789012',
          region: 'eu-west-1',
          stages: ['dev', 'preview'],
        },
      ],
    },
  }),
);

describe('selectTarget', () => {
  it('returns the named target when it accepts the stage', () => {
    expect(selectTarget(config, 'sandbox', 'dev')).toMatchObject({
      name: 'sandbox',
      accountId: '123456789012',
    });
    expect(selectTarget(config, 'local', 'anything')).toEqual({
      name: 'local',
      type: 'local',
    });
  });

  it('refuses an unknown target with an InputError listing the configured ones', () => {
    expect(() => selectTarget(config, 'prod-account', 'dev')).toThrow(
      InputError,
    );
    expect(() => selectTarget(config, 'prod-account', 'dev')).toThrow(
      'target "prod-account" is not configured; configured targets: local, sandbox',
    );
  });

  it('refuses a stage the target does not accept', () => {
    expect(() => selectTarget(config, 'sandbox', 'prod')).toThrow(
      'target "sandbox" does not accept stage "prod"; it accepts: dev, preview',
    );
  });
});
