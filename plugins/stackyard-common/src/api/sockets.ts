/**
 * Types of preview sockets: emulated API Gateway WebSocket APIs that the
 * stackyard backend hosts for environments, and the inspector API the Infra
 * tab reads them with.
 */

/**
 * What handles a route of a hosted WebSocket API. Hosted APIs reach only
 * out-of-process integrations.
 *
 * - `lambda`: the Lambda Invoke API (real AWS Lambda, or any local
 *   Invoke-compatible endpoint given as `endpoint`).
 * - `http`: the event POSTed as JSON to `url`; the response is read as a
 *   Lambda proxy result.
 */
export type WebSocketRouteIntegration =
  | {
      type: 'lambda';
      /** Function name, ARN or partial ARN. */
      functionName: string;
      /** Version or alias. */
      qualifier?: string;
      /** Invoke endpoint of a local runtime, e.g. `http://127.0.0.1:3002`. */
      endpoint?: string;
      /** AWS region of the function. */
      region?: string;
    }
  | {
      type: 'http';
      /** `http:` or `https:` URL. */
      url: string;
    };

/** One route of a hosted WebSocket API. */
export type WebSocketRoute = {
  integration: WebSocketRouteIntegration;
  /** Two-way route: the integration's body is sent back to the client. */
  response?: boolean;
};

/**
 * The WebSocket API of an environment, recorded with its deployment
 * (`RegisterDeploymentRequest.websocket`) and hosted by the backend at
 * `/api/stackyard/sockets/{environmentId}/{stage}`.
 */
export type WebSocketApiDefinition = {
  /** `$request.body.<path>` or a composite such as `${request.body.a}/${request.body.b}`; default `$request.body.action`. */
  routeSelectionExpression?: string;
  /** Route key (`$connect`, `$disconnect`, `$default` or a custom key) → route. */
  routes: Record<string, WebSocketRoute>;
};

/** A connection of a hosted WebSocket API, as the inspector lists it. */
export type PreviewSocketConnection = {
  connectionId: string;
  /** ISO 8601. */
  connectedAt: string;
  /** ISO 8601; present for connections held by the answering replica. */
  lastActiveAt?: string;
  sourceIp?: string;
  userAgent?: string;
  /** The subprotocol `$connect` selected, if any. */
  subprotocol?: string;
  /** Bytes waiting in the send buffer (connections of the answering replica). */
  bufferedBytes?: number;
  /** Frames dropped because the send buffer was full. */
  droppedFrames?: number;
};

/** A frame seen by a hosted WebSocket API, newest last. */
export type PreviewSocketFrame = {
  /** ISO 8601. */
  at: string;
  connectionId: string;
  /** `in`: from the client; `out`: to the client. */
  direction: 'in' | 'out';
  isBinary: boolean;
  /** Payload size in bytes. */
  size: number;
  /** The start of the payload (text, or base64 for binary frames). */
  preview: string;
  /** Inbound frames: the route the frame went to (`none` when Forbidden). */
  routeKey?: string;
};

/** `GET /environments/{id}/sockets` */
export type PreviewSocketInspection = {
  /** Path of the WebSocket API under the backend's base URL, e.g. `/api/stackyard/sockets/<id>/dev`. */
  path: string;
  /** Path of its `@connections` management API. */
  connectionsPath: string;
  stage: string;
  routeSelectionExpression: string;
  /** Route key → integration type and whether the route is two-way. */
  routes: Record<string, { type: 'lambda' | 'http'; response: boolean }>;
  /** Open connections on every replica. */
  connections: PreviewSocketConnection[];
  /** Recent frames seen by the answering replica (a bounded ring buffer), oldest first. */
  recentFrames: PreviewSocketFrame[];
};

/** `POST /environments/{id}/sockets/connections/{connectionId}/messages` */
export type SendToConnectionRequest = {
  /** The message; a text frame, or a binary frame when `isBase64Encoded`. */
  data: string;
  /** `data` is base64 and is sent as a binary frame. */
  isBase64Encoded?: boolean;
};

/** `POST /environments/{id}/sockets/connection-key` */
export type ConnectionKeyResponse = {
  /**
   * A new connection key (the previous one stops working). Shown once;
   * only its hash is stored. Present it on upgrades as the
   * `x-stackyard-connection-key` header or the `stackyard-key.<key>`
   * subprotocol, and to `@connections` as that header or as the access key
   * id of the SDK's credentials.
   */
  key: string;
};
