import { ConfigReader } from '@backstage/config';
import { readDriftConfig } from './drift';
import { readTargets } from './targets';

const read = (stackyard: object) => {
  const config = new ConfigReader({
    stackyard: {
      targets: [
        { name: 'local', type: 'local' },
        {
          name: 'sandbox',
          type: 'aws',
          accountId: '123456789012',
          region: 'eu-west-1',
        },
        {
          name: 'live',
          type: 'aws',
          accountId: '210987654321',
          region: 'eu-west-1',
        },
      ],
      ...stackyard,
    },
  });
  return readDriftConfig(config, readTargets(config));
};

describe('readDriftConfig', () => {
  it('checks nothing on a schedule, two detections per account, by default', () => {
    const drift = read({});
    expect([...drift.scheduleByTarget]).toEqual([]);
    expect(drift.maxConcurrentPerAccount).toBe(2);
  });

  it('applies the global frequency to every aws target, a target entry overriding it', () => {
    const drift = read({
      drift: {
        maxConcurrentPerAccount: 4,
        schedule: {
          frequency: { hours: 24 },
          targets: { live: { frequency: { hours: 6 } } },
        },
      },
    });
    expect([...drift.scheduleByTarget]).toEqual([
      ['sandbox', 24 * 3_600_000],
      ['live', 6 * 3_600_000],
    ]);
    expect(drift.maxConcurrentPerAccount).toBe(4);
  });

  it('schedules only the listed targets without a global frequency', () => {
    const drift = read({
      drift: { schedule: { targets: { sandbox: { frequency: 'PT12H' } } } },
    });
    expect([...drift.scheduleByTarget]).toEqual([['sandbox', 12 * 3_600_000]]);
  });

  it.each([
    [
      { schedule: { targets: { local: { frequency: { hours: 1 } } } } },
      'stackyard.drift.schedule.targets.local: "local" is a local target, which has no stacks to check',
    ],
    [
      { schedule: { targets: { nope: { frequency: { hours: 1 } } } } },
      'stackyard.drift.schedule.targets.nope: "nope" is not a configured target',
    ],
    [
      { schedule: { frequency: { seconds: 30 } } },
      'stackyard.drift.schedule.frequency: {"seconds":30} must be at least 5 minutes',
    ],
    [
      { maxConcurrentPerAccount: 0 },
      'stackyard.drift.maxConcurrentPerAccount: 0 must be a positive whole number',
    ],
  ])('refuses %j naming the key', (drift, message) => {
    expect(() => read({ drift })).toThrow(message);
  });
});
