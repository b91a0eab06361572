/** How a failed AWS call is classified by the SDK. */
type ErrorType = 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';

type Token = {
  getRetryCount(): number;
  getRetryDelay(): number;
};

/** Options of {@link BackoffRetryStrategy}. */
export type BackoffOptions = {
  /** Attempts per call, the first included. @default 5 */
  maxAttempts?: number;
  /** Delay before the first retry, doubled for each further one. @default 200 */
  baseDelayMs?: number;
  /** Upper bound of one delay. @default 20000 */
  maxDelayMs?: number;
  /** Returns a number in [0, 1); replaceable for tests. @default Math.random */
  random?: () => number;
};

/**
 * An AWS SDK v3 retry strategy: retries throttling, transient and server
 * errors with exponential backoff and jitter (half the delay fixed, half
 * random); never retries client errors such as validation or access denied.
 * Throttling honours a `Retry-After` hint when the service sends one.
 */
export class BackoffRetryStrategy {
  readonly mode = 'standard';
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 20_000;
    this.random = options.random ?? Math.random;
  }

  async acquireInitialRetryToken(_scope: string): Promise<Token> {
    return token(0, 0);
  }

  async refreshRetryTokenForRetry(
    previous: Token,
    errorInfo: { errorType: ErrorType; error?: unknown; retryAfterHint?: Date },
  ): Promise<Token> {
    const attempt = previous.getRetryCount() + 1;
    if (errorInfo.errorType === 'CLIENT_ERROR' || attempt >= this.maxAttempts) {
      throw new Error('No retry token available');
    }
    return token(attempt, this.delayFor(attempt, errorInfo.retryAfterHint));
  }

  recordSuccess(_token: Token): void {}

  /** The delay before retry number `attempt` (1-based). */
  delayFor(attempt: number, retryAfter?: Date): number {
    const exponential = Math.min(
      this.maxDelayMs,
      this.baseDelayMs * 2 ** (attempt - 1),
    );
    const jittered = exponential / 2 + (this.random() * exponential) / 2;
    const hinted = retryAfter ? retryAfter.getTime() - Date.now() : 0;
    return Math.round(Math.min(this.maxDelayMs, Math.max(jittered, hinted)));
  }
}

function token(retryCount: number, delay: number): Token {
  return {
    getRetryCount: () => retryCount,
    getRetryDelay: () => delay,
  };
}
