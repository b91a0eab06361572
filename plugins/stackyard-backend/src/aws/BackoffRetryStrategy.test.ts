import { BackoffRetryStrategy } from './BackoffRetryStrategy';

describe('BackoffRetryStrategy', () => {
  const strategy = new BackoffRetryStrategy({
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 250,
    random: () => 1,
  });

  it('doubles the delay per retry, up to the maximum', async () => {
    let t = await strategy.acquireInitialRetryToken('');
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = await strategy.refreshRetryTokenForRetry(t, {
        errorType: 'THROTTLING',
      });
      delays.push(t.getRetryDelay());
    }
    expect(delays).toEqual([100, 200, 250]);
  });

  it('gives up after maxAttempts', async () => {
    let t = await strategy.acquireInitialRetryToken('');
    for (let i = 0; i < 3; i++) {
      t = await strategy.refreshRetryTokenForRetry(t, {
        errorType: 'SERVER_ERROR',
      });
    }
    await expect(
      strategy.refreshRetryTokenForRetry(t, { errorType: 'THROTTLING' }),
    ).rejects.toThrow('No retry token available');
  });

  it('never retries client errors', async () => {
    const t = await strategy.acquireInitialRetryToken('');
    await expect(
      strategy.refreshRetryTokenForRetry(t, { errorType: 'CLIENT_ERROR' }),
    ).rejects.toThrow();
  });

  it('keeps half of the delay fixed whatever the jitter', () => {
    const low = new BackoffRetryStrategy({ baseDelayMs: 100, random: () => 0 });
    expect(low.delayFor(1)).toBe(50);
    expect(low.delayFor(3)).toBe(200);
  });
});
