/**
 * Limits applied to every WebSocket API served by the emulator. Each one
 * defaults to the documented Amazon API Gateway quota of the same name.
 *
 * @public
 */
export interface EmulatorLimits {
  /**
   * Largest message (all frames of one message together), in bytes. Larger
   * messages close the connection with 1009; larger `@connections` posts get
   * `PayloadTooLargeException` (413).
   * @default 131072 (128 KB)
   */
  readonly maxMessageBytes: number;
  /**
   * Largest single WebSocket frame, in bytes. Larger frames close the
   * connection with 1009.
   * @default 32768 (32 KB)
   */
  readonly maxFrameBytes: number;
  /**
   * A connection with no activity for this long is closed with 1001.
   * @default 600000 (10 minutes)
   */
  readonly idleTimeoutMs: number;
  /**
   * A connection open for this long is closed with 1001.
   * @default 7200000 (2 hours)
   */
  readonly maxConnectionDurationMs: number;
  /**
   * An integration that has not answered after this long fails: `$connect`
   * is refused with 504, a message gets the `Endpoint request timed out`
   * error frame.
   * @default 29000
   */
  readonly integrationTimeoutMs: number;
  /**
   * New connections accepted per second (token bucket, burst of the same
   * size). Upgrades over the rate are refused with HTTP 429.
   * @default 500
   */
  readonly connectionsPerSecond: number;
  /**
   * Outbound bytes that may wait in one connection's send buffer. An
   * `@connections` post that would exceed it gets `LimitExceededException`
   * (429); a route response or channel message that would exceed it is
   * dropped and counted.
   * @default 1048576 (1 MiB)
   */
  readonly maxBufferedBytes: number;
  /**
   * Inbound messages of one connection that may wait for their turn (they
   * are handled one at a time, in order). Past this the socket stops being
   * read until the queue drains, so a fast sender is slowed down by TCP
   * rather than by memory.
   * @default 64
   */
  readonly maxQueuedMessages: number;
  /**
   * How often idle and over-age connections are looked for.
   * @default 1000
   */
  readonly sweepIntervalMs: number;
}

/**
 * The defaults of {@link EmulatorLimits}.
 * @public
 */
export const DEFAULT_LIMITS: EmulatorLimits = Object.freeze({
  maxMessageBytes: 128 * 1024,
  maxFrameBytes: 32 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  maxConnectionDurationMs: 2 * 60 * 60 * 1000,
  integrationTimeoutMs: 29_000,
  connectionsPerSecond: 500,
  maxBufferedBytes: 1024 * 1024,
  maxQueuedMessages: 64,
  sweepIntervalMs: 1000,
});

/**
 * Fills in defaults and checks that every limit is a positive integer.
 * @throws TypeError naming the bad limit and quoting its value.
 */
export function resolveLimits(
  limits: Partial<EmulatorLimits> | undefined,
): EmulatorLimits {
  const resolved: EmulatorLimits = { ...DEFAULT_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new TypeError(
        `limits.${name} must be a positive integer, got ${JSON.stringify(
          value,
        )}`,
      );
    }
  }
  if (resolved.maxFrameBytes > resolved.maxMessageBytes) {
    throw new TypeError(
      `limits.maxFrameBytes (${resolved.maxFrameBytes}) must not exceed limits.maxMessageBytes (${resolved.maxMessageBytes})`,
    );
  }
  return resolved;
}
