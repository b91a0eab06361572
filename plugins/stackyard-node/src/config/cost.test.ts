import { ConfigReader } from '@backstage/config';
import { readCostConfig } from './cost';
import { readTargets } from './targets';

const read = (cost?: object) => {
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
      ],
      ...(cost ? { cost } : {}),
    },
  });
  return readCostConfig(config, readTargets(config));
};

describe('readCostConfig', () => {
  it('refreshes nothing and caches prices for 24 hours by default', () => {
    expect(read()).toEqual({
      refreshMs: undefined,
      priceCacheMs: 24 * 3_600_000,
      pricingTarget: undefined,
    });
  });

  it('reads the schedule, the price cache and the pricing target', () => {
    const cost = read({
      schedule: { frequency: { hours: 12 } },
      priceCacheHours: 6,
      pricingTarget: 'sandbox',
    });
    expect(cost.refreshMs).toBe(12 * 3_600_000);
    expect(cost.priceCacheMs).toBe(6 * 3_600_000);
    expect(cost.pricingTarget).toMatchObject({
      name: 'sandbox',
      accountId: '123456789012',
    });
    expect(read({ schedule: { frequency: 'P1D' } }).refreshMs).toBe(86_400_000);
  });

  it('refuses schedules under an hour, local or unknown pricing targets and bad cache hours', () => {
    expect(() => read({ schedule: { frequency: { minutes: 5 } } })).toThrow(
      'stackyard.cost.schedule.frequency: {"minutes":5} must be at least 1 hour',
    );
    expect(() => read({ pricingTarget: 'local' })).toThrow(
      'stackyard.cost.pricingTarget: "local" is a local target, which has no AWS account to ask prices with',
    );
    expect(() => read({ pricingTarget: 'prod' })).toThrow(
      'is not a configured target',
    );
    expect(() => read({ priceCacheHours: 0 })).toThrow(
      'stackyard.cost.priceCacheHours: 0 must be a positive number',
    );
  });
});
