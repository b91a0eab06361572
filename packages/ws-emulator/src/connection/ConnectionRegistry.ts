import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { ActivityLog } from '../activity/ActivityLog';
import type { ChannelHub } from '../channels';
import {
  ConnectionFacts,
  disconnectEvent,
  disconnectReasonFor,
} from '../events';
import { invokeWithTimeout } from '../integrations/invoke';
import type { InvocationTracker } from '../integrations/InvocationTracker';
import type { EmulatorLimits } from '../limits';
import type {
  ConnectionInfo,
  ConnectionSummary,
  RouteDefinition,
} from '../types';
import { Connection, InboundMessage } from './Connection';
import { attachFrameSizeGuard } from './frameSizeGuard';

/** A connection as `GET @connections` describes it. */
export function toInfo(connection: Connection): ConnectionInfo {
  return {
    connectedAt: new Date(connection.facts.connectedAt).toISOString(),
    identity: {
      sourceIp: connection.facts.sourceIp,
      userAgent: connection.facts.userAgent ?? '',
    },
    lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
  };
}

/**
 * The open connections of one emulator, from the completed handshake to
 * `$disconnect`: wires each socket's messages into its in-order queue,
 * enforces the frame size, idle and duration limits, and runs
 * `$disconnect` once the connection closed.
 */
export class ConnectionRegistry {
  private readonly connections = new Map<string, Connection>();
  private readonly pendingDisconnects = new Set<Promise<void>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly limits: EmulatorLimits,
    private readonly disconnectRoute: RouteDefinition | undefined,
    /** `$disconnect`s are tracked apart so shutdown does not cut them short. */
    private readonly disconnects: InvocationTracker,
    private readonly log: ActivityLog,
    private readonly handleMessage: (
      connection: Connection,
      message: InboundMessage,
    ) => Promise<void>,
    private readonly channels?: ChannelHub,
  ) {
    this.sweeper = setInterval(() => this.sweep(), limits.sweepIntervalMs);
    this.sweeper.unref();
  }

  /** The connection, also while it is closing. */
  get(connectionId: string): Connection | undefined {
    return this.connections.get(connectionId);
  }

  get size(): number {
    return this.connections.size;
  }

  get pendingDisconnectCount(): number {
    return this.pendingDisconnects.size;
  }

  /**
   * Takes over a socket whose handshake `ws` completed. `socket` is the
   * upgrade's own socket (the one `ws` now reads), watched for frames
   * larger than `maxFrameBytes`.
   */
  accept(ws: WebSocket, socket: Duplex, facts: ConnectionFacts): void {
    const { limits } = this;
    const connection = new Connection(
      facts,
      ws,
      socket,
      limits.maxQueuedMessages,
      limits.maxBufferedBytes,
      this.handleMessage,
    );
    this.connections.set(facts.connectionId, connection);
    const detachGuard = attachFrameSizeGuard(
      socket,
      limits.maxFrameBytes,
      (_length, messagesBefore) => {
        // Messages completed before the oversized frame are still handled;
        // the close waits until `ws` has delivered them.
        connection.acceptUpTo = messagesBefore;
        setImmediate(() => connection.close(1009, 'Message too big'));
      },
    );
    ws.on('message', (data, isBinary) => {
      connection.enqueue({
        data: data as Buffer,
        isBinary,
        receivedAt: Date.now(),
      });
    });
    ws.on('ping', () => {
      connection.lastActiveAt = Date.now();
    });
    ws.on('error', error => {
      const code = (error as { code?: string }).code;
      if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' && !connection.closing) {
        connection.closing = true;
        connection.serverClose = { code: 1009, reason: 'Message too big' };
      }
    });
    ws.on('close', (code, reason) => {
      detachGuard();
      this.onClose(connection, code, reason.toString());
    });
    this.log.report({
      type: 'connect',
      connectionId: facts.connectionId,
      sourceIp: facts.sourceIp,
      subprotocol: ws.protocol || undefined,
    });
  }

  /** The open connections, for the inspector. */
  list(): ConnectionSummary[] {
    return [...this.connections.values()]
      .filter(c => !c.closing)
      .map(c => ({
        connectionId: c.id,
        ...toInfo(c),
        ...(c.ws.protocol && { subprotocol: c.ws.protocol }),
        bufferedBytes: c.bufferedBytes,
        droppedFrames: c.droppedFrames,
        channels: [...c.channels],
      }));
  }

  /**
   * Closes every connection with 1001; resolves once all are closed.
   * Their `$disconnect`s run on: see {@link ConnectionRegistry.disconnected}.
   */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const open = [...this.connections.values()];
    for (const connection of open) {
      connection.close(1001, 'Going away');
    }
    await Promise.all(
      open.map(
        c =>
          new Promise<void>(resolve => {
            if (c.ws.readyState === WebSocket.CLOSED) {
              resolve();
            } else {
              c.ws.once('close', () => resolve());
            }
          }),
      ),
    );
  }

  /** Resolves when every `$disconnect` started so far has finished. */
  async disconnected(): Promise<void> {
    await Promise.all([...this.pendingDisconnects]);
  }

  private onClose(connection: Connection, code: number, reason: string): void {
    connection.closing = true;
    this.connections.delete(connection.id);
    this.channels?.removeConnection(connection);
    const statusCode = connection.serverClose?.code ?? code;
    const why = disconnectReasonFor(
      statusCode,
      connection.serverClose?.reason ?? reason,
    );
    const done = this.runDisconnect(connection, statusCode, why);
    this.pendingDisconnects.add(done);
    void done.finally(() => this.pendingDisconnects.delete(done));
  }

  private async runDisconnect(
    connection: Connection,
    statusCode: number,
    reason: string,
  ): Promise<void> {
    await connection.whenIdle();
    if (this.disconnectRoute) {
      try {
        await invokeWithTimeout(
          this.disconnectRoute.integration,
          disconnectEvent(connection.facts, statusCode, reason),
          this.limits.integrationTimeoutMs,
          this.disconnects,
        );
      } catch (error) {
        this.log.report({
          type: 'error',
          connectionId: connection.id,
          message: `$disconnect failed: ${String(error)}`,
        });
      }
    }
    this.log.report({
      type: 'disconnect',
      connectionId: connection.id,
      statusCode,
      reason,
    });
  }

  private sweep(): void {
    const now = Date.now();
    for (const connection of this.connections.values()) {
      if (
        now - connection.lastActiveAt > this.limits.idleTimeoutMs ||
        now - connection.facts.connectedAt > this.limits.maxConnectionDurationMs
      ) {
        connection.close(1001, 'Going away');
      }
    }
  }
}
