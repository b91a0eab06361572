import type { IncomingMessage } from 'node:http';
import type { EmulatorLimits } from './limits';
import type { Integration } from './integrations/types';
import type { ConnectionDirectory } from './management/ConnectionDirectory';

/**
 * A route: its integration and whether it is two-way.
 * @public
 */
export interface RouteDefinition {
  /** What handles the route. */
  readonly integration: Integration;
  /**
   * Two-way route: the integration result's `body` is sent back to the
   * client. Ignored for `$connect` and `$disconnect`.
   * @default false
   */
  readonly response?: boolean;
}

/**
 * The verdict of {@link WebSocketApiEmulatorOptions.authorizeUpgrade}.
 * @public
 */
export type UpgradeAuthorization =
  | {
      readonly allow: true;
      /**
       * Offered subprotocols that carried credentials. They are removed from
       * the `$connect` event's headers and are never selected, so they are
       * never echoed in `Sec-WebSocket-Protocol`.
       */
      readonly consumedProtocols?: readonly string[];
      /** Request headers (any casing) to leave out of the `$connect` event, e.g. `authorization`, `cookie`. */
      readonly consumedHeaders?: readonly string[];
    }
  | {
      readonly allow: false;
      /** @default 401 */
      readonly statusCode?: number;
      /** Sent as `{"message": ...}`. @default the status text */
      readonly message?: string;
    };

/**
 * A connection as the `@connections` GET answers it (wire form).
 * @public
 */
export interface ConnectionInfo {
  connectedAt: string;
  identity: { sourceIp: string; userAgent: string };
  lastActiveAt: string;
}

/**
 * A connection as the inspector lists it.
 * @public
 */
export interface ConnectionSummary extends ConnectionInfo {
  connectionId: string;
  /** The subprotocol `$connect` selected, if any. */
  subprotocol?: string;
  /** Bytes waiting in the send buffer. */
  bufferedBytes: number;
  /** Frames dropped because the send buffer was full. */
  droppedFrames: number;
  /** Channels subscribed to (when channels are enabled). */
  channels: string[];
}

/**
 * A frame seen by the emulator, kept in the recent-frames ring buffer.
 * @public
 */
export interface FrameRecord {
  /** Epoch milliseconds. */
  at: number;
  connectionId: string;
  /** `in`: from the client; `out`: to the client. */
  direction: 'in' | 'out';
  isBinary: boolean;
  /** Payload size in bytes. */
  size: number;
  /** The start of the payload (text, or base64 for binary frames). */
  preview: string;
  /** For inbound frames: the route it went to (`none` when Forbidden, `$channel` for channel frames). */
  routeKey?: string;
}

/**
 * Delivery to connections this emulator does not hold, e.g. sockets held
 * by another backend replica: a {@link ConnectionDirectory}. Each method
 * throws a `ManagementApiError` (`GoneException` when nobody holds the
 * connection, …) on failure.
 * @public
 */
export type RemoteConnections = ConnectionDirectory;

/**
 * Something that happened, for logs.
 * @public
 */
export type EmulatorActivity =
  | {
      type: 'connect';
      connectionId: string;
      sourceIp: string;
      subprotocol?: string;
    }
  | {
      type: 'connect-refused';
      statusCode: number;
      reason: string;
      sourceIp: string;
    }
  | {
      type: 'disconnect';
      connectionId: string;
      statusCode: number;
      reason: string;
    }
  | {
      type: 'route';
      connectionId: string;
      routeKey: string;
      outcome: 'ok' | 'error' | 'timeout' | 'forbidden';
      durationMs: number;
      error?: string;
    }
  | { type: 'frame'; frame: FrameRecord }
  | { type: 'error'; message: string; connectionId?: string };

/**
 * Options of the emulator. Every option is documented with its default.
 * @public
 */
export interface WebSocketApiEmulatorOptions {
  /**
   * Routes by route key: `$connect`, `$disconnect`, `$default` or a custom
   * key (1–128 characters, not starting with `$`).
   */
  readonly routes: Readonly<Record<string, RouteDefinition>>;
  /**
   * How a route key is chosen from a JSON message: `$request.body.<path>`
   * or a composite like `${request.body.service}/${request.body.action}`.
   * @default '$request.body.action'
   */
  readonly routeSelectionExpression?: string;
  /**
   * Stage name, in events and in `/{stage}/@connections` paths.
   * @default 'local'
   */
  readonly stage?: string;
  /**
   * API id in events.
   * @default a random 10-character id
   */
  readonly apiId?: string;
  /**
   * `requestContext.domainName` in events.
   * @default the `Host` header of the upgrade request
   */
  readonly domainName?: string;
  /**
   * Path prefix under which the emulator is mounted, e.g.
   * `/api/stackyard/sockets/dev/local`. Upgrades are accepted at the prefix
   * itself (with or without `/<stage>`); `@connections` is served at
   * `<prefix>/@connections/{id}` and `<prefix>/<stage>/@connections/{id}`.
   * @default '' (the root)
   */
  readonly basePath?: string;
  /** Limits; each defaults to API Gateway's quota. See {@link EmulatorLimits}. */
  readonly limits?: Partial<EmulatorLimits>;
  /**
   * Channels (subscribe / unsubscribe / publish), not an API Gateway feature.
   * @default disabled
   */
  readonly channels?: {
    readonly enabled: boolean;
    /** @default 100 */
    readonly maxChannelsPerConnection?: number;
  };
  /**
   * Capacity of the recent-frames ring buffer (0 turns recording off).
   * @default 200
   */
  readonly recentFrames?: number;
  /**
   * Characters of payload kept in each {@link FrameRecord}.
   * @default 256
   */
  readonly framePreviewChars?: number;
  /**
   * Runs before anything else on every upgrade (and before `$connect`);
   * refusing answers the upgrade with an HTTP error.
   * @default every upgrade allowed
   */
  readonly authorizeUpgrade?: (
    req: IncomingMessage,
  ) => UpgradeAuthorization | Promise<UpgradeAuthorization>;
  /**
   * Runs before every `@connections` request; `false` answers 403
   * `ForbiddenException`.
   * @default every request allowed
   */
  readonly authorizeManagementRequest?: (
    req: IncomingMessage,
  ) => boolean | Promise<boolean>;
  /**
   * Used for `@connections` operations on connections this emulator does
   * not hold.
   * @default none: such connections are gone (410)
   */
  readonly remoteConnections?: RemoteConnections;
  /**
   * Creates connection ids; must return unique ids of at most 128
   * characters without `/`.
   * @default API Gateway shaped random ids (`L0SM9cOFvHcCIhw=`)
   */
  readonly createConnectionId?: () => string;
  /**
   * Receives activity for logging. Must not throw.
   * @default none
   */
  readonly onActivity?: (activity: EmulatorActivity) => void;
}
