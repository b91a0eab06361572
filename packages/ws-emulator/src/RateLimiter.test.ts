import { RateLimiter } from './RateLimiter';

describe('RateLimiter', () => {
  it('allows a burst of the rate, then refills over time', () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    expect([1, 2, 3, 4].map(() => limiter.tryTake())).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now += 334;
    expect(limiter.tryTake()).toBe(true);
    expect(limiter.tryTake()).toBe(false);
    now += 10_000;
    expect([1, 2, 3, 4].map(() => limiter.tryTake())).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
