/**
 * Deadlines of integration invocations in flight, checked by one shared
 * timer instead of a timer per invocation (which matters at tens of
 * thousands of messages a second). A deadline fires at most
 * `resolutionMs` late.
 */
export class InvocationTracker {
  private readonly entries = new Map<(error: Error) => void, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly resolutionMs: number,
    private readonly onDeadline: (fail: (error: Error) => void) => void,
  ) {}

  /** Tracks an invocation; `fail` is called by `onDeadline` or `failAll`. */
  add(fail: (error: Error) => void, deadline: number): void {
    this.entries.set(fail, deadline);
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), this.resolutionMs);
      this.timer.unref();
    }
  }

  delete(fail: (error: Error) => void): void {
    this.entries.delete(fail);
    if (this.entries.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Fails every invocation in flight (on shutdown). */
  failAll(error: Error): void {
    for (const fail of [...this.entries.keys()]) {
      fail(error);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private check(): void {
    const now = Date.now();
    for (const [fail, deadline] of this.entries) {
      if (deadline <= now) {
        this.onDeadline(fail);
      }
    }
  }
}
