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

/**
 * Answers a client's channel control frame: subscribes, unsubscribes or
 * publishes, replying through `send` (`subscribed`, `unsubscribed` or an
 * `error` frame).
 */
export function handleChannelFrame(
  hub: ChannelHub,
  connection: Connection,
  frame: Record<string, unknown>,
  send: (connection: Connection, text: string) => void,
): void {
  const problem = channelFrameProblem(frame);
  const name = frame.name as string;
  if (problem) {
    send(connection, JSON.stringify({ $channel: 'error', message: problem }));
    return;
  }
  switch (frame.$channel) {
    case 'subscribe':
      if (!hub.subscribe(connection, name)) {
        send(
          connection,
          JSON.stringify({
            $channel: 'error',
            name,
            message: 'Too many channels for this connection',
          }),
        );
        return;
      }
      send(connection, JSON.stringify({ $channel: 'subscribed', name }));
      return;
    case 'unsubscribe':
      hub.unsubscribe(connection, name);
      send(connection, JSON.stringify({ $channel: 'unsubscribed', name }));
      return;
    default:
      hub.publish(name, frame.data);
  }
}

/** The data of `POST @channels/{name}`: its JSON, or its text when it is not JSON. */
export function parseChannelData(data: Buffer): unknown {
  const text = data.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
