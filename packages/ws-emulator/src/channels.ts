import type { Connection } from './connection/Connection';

/** Channel names: 1–128 of letters, digits and `_ . : -`. */
export const CHANNEL_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * A channel control frame, recognised only when channels are enabled:
 * `{"$channel": "subscribe" | "unsubscribe" | "publish", "name": "<channel>", "data"?: any}`.
 * @public
 */
export interface ChannelFrame {
  $channel: 'subscribe' | 'unsubscribe' | 'publish';
  name: string;
  data?: unknown;
}

/** Returns why `value` is not a valid channel frame, or undefined when it is. */
export function channelFrameProblem(
  value: Record<string, unknown>,
): string | undefined {
  const op = value.$channel;
  if (op !== 'subscribe' && op !== 'unsubscribe' && op !== 'publish') {
    return `$channel must be "subscribe", "unsubscribe" or "publish", got ${JSON.stringify(
      op,
    )}`;
  }
  if (typeof value.name !== 'string' || !CHANNEL_NAME.test(value.name)) {
    return `name must match ${CHANNEL_NAME}, got ${JSON.stringify(value.name)}`;
  }
  return undefined;
}

/**
 * Subscriptions of connections to channels (a local convenience, not an API
 * Gateway feature).
 */
export class ChannelHub {
  private readonly members = new Map<string, Set<Connection>>();

  constructor(private readonly maxChannelsPerConnection: number) {}

  subscribe(connection: Connection, name: string): boolean {
    if (
      !connection.channels.has(name) &&
      connection.channels.size >= this.maxChannelsPerConnection
    ) {
      return false;
    }
    connection.channels.add(name);
    let set = this.members.get(name);
    if (!set) {
      set = new Set();
      this.members.set(name, set);
    }
    set.add(connection);
    return true;
  }

  unsubscribe(connection: Connection, name: string): void {
    connection.channels.delete(name);
    const set = this.members.get(name);
    set?.delete(connection);
    if (set?.size === 0) {
      this.members.delete(name);
    }
  }

  removeConnection(connection: Connection): void {
    for (const name of [...connection.channels]) {
      this.unsubscribe(connection, name);
    }
  }

  /** Sends `{"$channel":"message","name":…,"data":…}` to every subscriber; returns how many got it. */
  publish(name: string, data: unknown): number {
    const set = this.members.get(name);
    if (!set) {
      return 0;
    }
    const frame = JSON.stringify({ $channel: 'message', name, data });
    let delivered = 0;
    for (const connection of set) {
      if (connection.send(frame, false)) {
        delivered++;
      }
    }
    return delivered;
  }

  subscriberCount(name: string): number {
    return this.members.get(name)?.size ?? 0;
  }
}
