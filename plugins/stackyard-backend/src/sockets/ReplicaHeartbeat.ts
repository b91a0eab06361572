import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SocketStore } from './SocketStore';

/** Options of {@link ReplicaHeartbeat.start}. */
export type ReplicaHeartbeatOptions = {
  store: SocketStore;
  replicaId: string;
  logger: LoggerService;
  /** How often this replica records itself and sweeps. */
  intervalMs: number;
  /** A replica not seen for this long has crashed; its rows are removed. */
  staleAfterMs: number;
  now?: () => Date;
};

/**
 * Keeps this replica's heartbeat in the socket store and removes the
 * connection rows of replicas that stopped without cleaning up (a crash
 * leaves them behind, and `@connections` calls would otherwise be routed
 * to a replica that is gone). Every replica sweeps; sweeping is idempotent.
 */
export class ReplicaHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  /** Records the replica and sweeps once before returning, then on a timer. */
  static async start(
    options: ReplicaHeartbeatOptions,
  ): Promise<ReplicaHeartbeat> {
    if (!(options.staleAfterMs > 2 * options.intervalMs)) {
      throw new Error(
        `Preview sockets: staleAfterMs (${options.staleAfterMs}) must exceed twice intervalMs (${options.intervalMs}), or live replicas would be expired`,
      );
    }
    const heartbeat = new ReplicaHeartbeat(options);
    await heartbeat.beat();
    heartbeat.timer = setInterval(() => {
      heartbeat.running = heartbeat
        .beat()
        .catch(error =>
          options.logger.warn(
            `Preview sockets: heartbeat failed: ${String(error)}`,
          ),
        );
    }, options.intervalMs);
    heartbeat.timer.unref();
    return heartbeat;
  }

  private constructor(private readonly options: ReplicaHeartbeatOptions) {}

  get replicaId(): string {
    return this.options.replicaId;
  }

  /** One heartbeat and sweep. */
  async beat(): Promise<void> {
    const now = (this.options.now ?? (() => new Date()))();
    await this.options.store.heartbeat(this.options.replicaId, now);
    const removed = await this.options.store.expireStaleReplicas(
      new Date(now.getTime() - this.options.staleAfterMs),
    );
    if (removed > 0) {
      this.options.logger.info(
        `Preview sockets: removed ${removed} connections of stopped replicas`,
      );
    }
  }

  /** Stops the timer and waits for a beat in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
