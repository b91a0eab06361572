import type { IncomingMessage } from 'node:http';
import type { UpgradeAuthorization } from '@stackyard/ws-emulator';
import { connectionKeyMatches } from './connectionKey';

/** Subprotocol carrying a Backstage token: `stackyard-token.<token>`. */
export const TOKEN_PROTOCOL_PREFIX = 'stackyard-token.';
/** Subprotocol carrying the connection key: `stackyard-key.<key>`. */
export const KEY_PROTOCOL_PREFIX = 'stackyard-key.';
/** Header carrying the connection key. */
export const KEY_HEADER = 'x-stackyard-connection-key';

/**
 * What a Backstage token is used for: `connect` (open a connection, as any
 * client of the API) or `manage` (an `@connections` call).
 */
export type TokenUse = 'connect' | 'manage';

/** How credentials are checked for one environment. */
export type CredentialChecks = {
  /**
   * Whether a Backstage token may be used so: for `connect`, any valid user
   * or service token; for `manage`, a service token, or a user token whose
   * user may manage the environment's sockets (decided and audited by the
   * host).
   */
  verifyToken(
    token: string,
    use: TokenUse,
    req: IncomingMessage,
  ): Promise<boolean>;
  /** The hash of the environment's connection key, if one was created. */
  connectionKeyHash(): Promise<string | undefined>;
  /**
   * Whether a key is the credential of the environment's local preview
   * runner (accepted for `@connections` calls only).
   */
  isRunnerKey?(key: string): boolean;
};

type Credential = { kind: 'token' | 'key'; value: string };

const MISSING =
  'Unauthorized: send a Backstage token (Authorization: Bearer, or the stackyard-token.<token> subprotocol) or the connection key (x-stackyard-connection-key header, or the stackyard-key.<key> subprotocol)';
const INVALID = 'Unauthorized: the credentials are not valid';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  return match?.[1];
}

async function isValid(
  credential: Credential,
  checks: CredentialChecks,
  use: TokenUse,
  req: IncomingMessage,
): Promise<boolean> {
  if (credential.kind === 'token') {
    return checks.verifyToken(credential.value, use, req);
  }
  return connectionKeyMatches(
    credential.value,
    await checks.connectionKeyHash(),
  );
}

/**
 * Authorizes the upgrade of a hosted WebSocket API before the API's own
 * `$connect` runs. Accepts a Backstage user or service token or the
 * environment's connection key. Subprotocols that carry credentials are
 * consumed: never selected (so never echoed in `Sec-WebSocket-Protocol`) and
 * left out of the `$connect` event, as are the credential headers; the
 * remaining subprotocols are for `$connect` to choose from.
 */
export async function authorizeUpgrade(
  req: IncomingMessage,
  checks: CredentialChecks,
): Promise<UpgradeAuthorization> {
  const offered = (header(req, 'sec-websocket-protocol') ?? '')
    .split(',')
    .map(p => p.trim())
    .filter(p => p.length > 0);
  const consumedProtocols = offered.filter(
    p =>
      p.startsWith(TOKEN_PROTOCOL_PREFIX) || p.startsWith(KEY_PROTOCOL_PREFIX),
  );
  const credentials: Credential[] = [];
  const token = bearer(req);
  if (token) credentials.push({ kind: 'token', value: token });
  const key = header(req, KEY_HEADER)?.trim();
  if (key) credentials.push({ kind: 'key', value: key });
  for (const protocol of consumedProtocols) {
    credentials.push(
      protocol.startsWith(TOKEN_PROTOCOL_PREFIX)
        ? { kind: 'token', value: protocol.slice(TOKEN_PROTOCOL_PREFIX.length) }
        : { kind: 'key', value: protocol.slice(KEY_PROTOCOL_PREFIX.length) },
    );
  }
  if (credentials.length === 0) {
    return { allow: false, statusCode: 401, message: MISSING };
  }
  for (const credential of credentials) {
    if (
      credential.value &&
      (await isValid(credential, checks, 'connect', req))
    ) {
      return {
        allow: true,
        consumedProtocols,
        consumedHeaders: ['authorization', KEY_HEADER],
      };
    }
  }
  return { allow: false, statusCode: 401, message: INVALID };
}

/** The access key id of a SigV4 `Authorization` header (how the AWS SDK sends its credentials). */
export function sigV4AccessKeyId(req: IncomingMessage): string | undefined {
  return /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\//.exec(
    header(req, 'authorization') ?? '',
  )?.[1];
}

/**
 * Authorizes an `@connections` request: a Backstage token
 * (`Authorization: Bearer`) allowed to manage the environment's sockets,
 * the connection key in the
 * `x-stackyard-connection-key` header, or the connection key as the access
 * key id of an AWS SigV4 `Authorization` header (so
 * `@aws-sdk/client-apigatewaymanagementapi` works with
 * `credentials: { accessKeyId: <key>, secretAccessKey: <anything> }`; the
 * signature itself is not checked).
 */
export async function authorizeManagementRequest(
  req: IncomingMessage,
  checks: CredentialChecks,
): Promise<boolean> {
  const credentials: Credential[] = [];
  const token = bearer(req);
  if (token) credentials.push({ kind: 'token', value: token });
  const key = header(req, KEY_HEADER)?.trim();
  if (key) credentials.push({ kind: 'key', value: key });
  const keyId = sigV4AccessKeyId(req);
  if (keyId) credentials.push({ kind: 'key', value: keyId });
  for (const credential of credentials) {
    if (credential.kind === 'key' && checks.isRunnerKey?.(credential.value)) {
      return true;
    }
    if (await isValid(credential, checks, 'manage', req)) return true;
  }
  return false;
}
