import type { Connection } from '../connection/Connection';
import { RingBuffer } from '../RingBuffer';
import type { EmulatorActivity, FrameRecord } from '../types';

/**
 * What the emulator saw: the recent-frames ring buffer for the inspector,
 * and `onActivity` for logs. Also the one way frames are sent to a client,
 * so every sent frame is recorded.
 */
export class ActivityLog {
  private readonly frames: RingBuffer<FrameRecord>;

  constructor(
    capacity: number,
    private readonly previewChars: number,
    private readonly onActivity?: (activity: EmulatorActivity) => void,
  ) {
    this.frames = new RingBuffer(capacity);
  }

  /** Whether anyone listens to `onActivity` (skip building reports otherwise). */
  get listening(): boolean {
    return this.onActivity !== undefined;
  }

  report(activity: EmulatorActivity): void {
    if (this.onActivity) {
      try {
        this.onActivity(activity);
      } catch {
        // Logging must never break the emulator.
      }
    }
  }

  /** Records a frame (its payload cut to the preview length). */
  record(
    connectionId: string,
    direction: 'in' | 'out',
    text: string,
    isBinary: boolean,
    size: number,
    routeKey?: string,
  ): void {
    if (this.frames.capacity === 0 && !this.onActivity) {
      return;
    }
    const frame: FrameRecord = {
      at: Date.now(),
      connectionId,
      direction,
      isBinary,
      size,
      preview:
        text.length > this.previewChars
          ? text.slice(0, this.previewChars)
          : text,
    };
    if (routeKey !== undefined) {
      frame.routeKey = routeKey;
    }
    this.frames.push(frame);
    if (this.onActivity) {
      this.report({ type: 'frame', frame });
    }
  }

  /** Sends a frame to a client and records it; false when it was not sent. */
  send(
    connection: Connection,
    data: string | Buffer,
    isBinary = false,
    size = typeof data === 'string' ? Buffer.byteLength(data) : data.length,
  ): boolean {
    const sent = connection.send(data, isBinary, size);
    if (sent) {
      this.record(
        connection.id,
        'out',
        typeof data === 'string'
          ? data
          : data.toString('base64', 0, this.previewChars),
        isBinary,
        size,
      );
    }
    return sent;
  }

  /** The most recent frames, oldest first (at most `limit`). */
  recentFrames(limit?: number): FrameRecord[] {
    return this.frames.toArray(limit);
  }
}
