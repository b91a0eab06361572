/**
 * A token bucket: `ratePerSecond` tokens a second, holding at most
 * `ratePerSecond` tokens.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = ratePerSecond;
    this.last = now();
  }

  /** Takes a token; false when none is left. */
  tryTake(): boolean {
    const now = this.now();
    this.tokens = Math.min(
      this.ratePerSecond,
      this.tokens + ((now - this.last) / 1000) * this.ratePerSecond,
    );
    this.last = now;
    if (this.tokens < 1) {
      return false;
    }
    this.tokens -= 1;
    return true;
  }
}
