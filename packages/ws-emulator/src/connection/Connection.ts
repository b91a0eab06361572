import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ConnectionFacts } from '../events';

/** One inbound message waiting for its turn. */
export interface InboundMessage {
  data: Buffer;
  isBinary: boolean;
  receivedAt: number;
}

/**
 * One open connection: its facts, its send buffer guard and the in-order
 * queue of inbound messages. Messages are handed to `handle` one at a time;
 * when more than `maxQueued` wait, reading from the socket is paused.
 */
export class Connection {
  lastActiveAt: number;
  /** Set once the emulator or the client started closing. */
  closing = false;
  /** The close the server initiated, reported in `$disconnect`. */
  serverClose?: { code: number; reason: string };
  /** Messages dropped because the send buffer was full. */
  droppedFrames = 0;
  readonly channels = new Set<string>();
  /** When set, messages past this count are ignored (the connection is being closed for a protocol limit). */
  acceptUpTo?: number;
  private received = 0;

  private readonly queue: InboundMessage[] = [];
  private head = 0;
  private running = false;
  private paused = false;
  private idleWaiters: (() => void)[] = [];
  private corked = false;
  private readonly uncork = () => {
    this.corked = false;
    this.socket.uncork();
  };

  /**
   * @param socket - the upgrade's socket, which `ws` reads and writes; kept
   *   from the handshake (not taken from `ws` internals) to cork writes.
   */
  constructor(
    readonly facts: ConnectionFacts,
    readonly ws: WebSocket,
    private readonly socket: Pick<Duplex, 'cork' | 'uncork'>,
    private readonly maxQueued: number,
    private readonly maxBufferedBytes: number,
    private readonly handle: (
      connection: Connection,
      message: InboundMessage,
    ) => Promise<void>,
  ) {
    this.lastActiveAt = facts.connectedAt;
  }

  get id(): string {
    return this.facts.connectionId;
  }

  /** Queues an inbound message; handles it when its turn comes. */
  enqueue(message: InboundMessage): void {
    if (
      this.closing ||
      (this.acceptUpTo !== undefined && this.received >= this.acceptUpTo)
    ) {
      return;
    }
    this.received++;
    this.lastActiveAt = message.receivedAt;
    this.queue.push(message);
    if (!this.paused && this.queue.length - this.head > this.maxQueued) {
      this.paused = true;
      this.ws.pause();
    }
    if (!this.running) {
      this.running = true;
      void this.drain();
    }
  }

  private async drain(): Promise<void> {
    while (this.head < this.queue.length && !this.closing) {
      const message = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as InboundMessage;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      try {
        await this.handle(this, message);
      } catch {
        // handle() reports its own failures; the queue must keep going.
      }
      if (this.paused && this.queue.length - this.head <= this.maxQueued / 2) {
        this.paused = false;
        this.ws.resume();
      }
    }
    this.queue.length = 0;
    this.head = 0;
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach(w => w());
  }

  /** Resolves once no message is being handled (queued ones are dropped when closing). */
  whenIdle(): Promise<void> {
    if (!this.running) {
      return Promise.resolve();
    }
    return new Promise(resolve => this.idleWaiters.push(resolve));
  }

  /** Bytes waiting in the socket's send buffer. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  /** True when `bytes` more would not overflow the send buffer. */
  canSend(bytes: number): boolean {
    return this.ws.bufferedAmount + bytes <= this.maxBufferedBytes;
  }

  /**
   * Sends a frame unless the connection is closing or its send buffer would
   * overflow; returns whether it was sent.
   */
  send(
    data: string | Buffer,
    isBinary: boolean,
    size = typeof data === 'string' ? Buffer.byteLength(data) : data.length,
  ): boolean {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) {
      return false;
    }
    if (!this.canSend(size)) {
      this.droppedFrames++;
      return false;
    }
    // Frames sent during one turn of the event loop leave in one write.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.ws.send(data, { binary: isBinary });
    return true;
  }

  /** Closes from the server side, remembering why for `$disconnect`. */
  close(code: number, reason: string): void {
    if (this.closing) {
      return;
    }
    this.closing = true;
    this.serverClose = { code, reason };
    this.ws.close(code, reason);
    // A client that never answers the close frame is cut off.
    setTimeout(() => this.ws.terminate(), 5000).unref();
  }
}
