/**
 * What a `@connections` call carried over the runner's channel looks like
 * to the SDK: its data on the way out, and on the way back the output or
 * exception its HTTP path would give.
 */
import { isUtf8 } from 'buffer';
import { randomBytes } from 'crypto';
import type { ConnectionsOutcome } from './connectionsChannel';
import { MAX_CHANNEL_POST_BYTES, type ConnectionsCall } from './protocol';

/** The exports of `@aws-sdk/client-apigatewaymanagementapi` used here. */
export type SdkModule = Record<string, unknown> & {
  ApiGatewayManagementApiClient: { prototype: unknown };
  ApiGatewayManagementApiServiceException: new (...args: never[]) => Error;
};

/** The status of a successful call, as the HTTP API answers it. */
const SUCCESS: Record<ConnectionsCall['op'], number> = {
  post: 200,
  get: 200,
  delete: 204,
};

/** A post's data as the channel carries it; undefined when it goes over HTTP. */
export function encodeData(
  data: unknown,
): { text: string } | { base64: string } | undefined {
  if (typeof data === 'string') {
    return data.length <= MAX_CHANNEL_POST_BYTES / 3 ||
      Buffer.byteLength(data) <= MAX_CHANNEL_POST_BYTES
      ? { text: data }
      : undefined;
  }
  if (data instanceof Uint8Array && data.byteLength <= MAX_CHANNEL_POST_BYTES) {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return isUtf8(bytes)
      ? { text: bytes.toString('utf8') }
      : { base64: bytes.toString('base64') };
  }
  return undefined;
}

let idPool = Buffer.alloc(0);
let idOffset = 0;

/** A request id shaped like the API's (11 random bytes in base64), from a pool of random bytes. */
function requestId(): string {
  if (idOffset + 11 > idPool.length) {
    idPool = randomBytes(11 * 256);
    idOffset = 0;
  }
  idOffset += 11;
  return idPool.toString('base64', idOffset - 11, idOffset);
}

/** The SDK's output (or error) for an answer from the channel, as its HTTP path gives it. */
export function settle(
  sdk: SdkModule,
  op: ConnectionsCall['op'],
  outcome: Exclude<ConnectionsOutcome, { http: true }>,
): { output: Record<string, unknown> } {
  const $metadata = {
    httpStatusCode: 'error' in outcome ? outcome.error.status : SUCCESS[op],
    requestId: requestId(),
    extendedRequestId: undefined,
    cfId: undefined,
    attempts: 1,
    totalRetryDelay: 0,
  };
  if ('error' in outcome) {
    const Exception = sdk[outcome.error.name] as new (options: object) => Error;
    throw new Exception({ message: outcome.error.message, $metadata });
  }
  if (op !== 'get') return { output: { $metadata } };
  const info = outcome.value as {
    connectedAt: string;
    identity: { sourceIp: string; userAgent: string };
    lastActiveAt: string;
  };
  return {
    output: {
      ConnectedAt: new Date(info.connectedAt),
      Identity: {
        SourceIp: info.identity.sourceIp,
        UserAgent: info.identity.userAgent,
      },
      LastActiveAt: new Date(info.lastActiveAt),
      $metadata,
    },
  };
}

/** Whether the SDK has an exception class of this name (the answer can be thrown as it is). */
export function isModelled(sdk: SdkModule, name: string): boolean {
  const Exception = sdk[name];
  return (
    typeof Exception === 'function' &&
    Exception.prototype instanceof sdk.ApiGatewayManagementApiServiceException
  );
}
