import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAwsStyleId } from '../ids';
import type { ConnectionDirectory } from './ConnectionDirectory';
import {
  BadRequestException,
  ForbiddenException,
  toManagementApiError,
  writeManagementError,
} from './errors';
import { ManagementTarget } from './managementRoutes';
import { readBody } from './readBody';

/** What the management API does; each method throws `ManagementApiError`s. */
export interface ManagementOperations extends ConnectionDirectory {
  /** Present when channels are enabled. */
  publish?(name: string, data: Buffer): number;
  authorize(req: IncomingMessage): boolean | Promise<boolean>;
  maxMessageBytes: number;
}

/**
 * Serves one `@connections` (or `@channels`) request:
 * - `POST /@connections/{id}` body = data → 200, empty body;
 * - `GET /@connections/{id}` → 200 `{connectedAt, identity, lastActiveAt}`;
 * - `DELETE /@connections/{id}` → 204;
 * - `POST /@channels/{name}` body = data → 200 `{"delivered": n}`.
 * Errors are AWS restJson1 errors (see `ManagementApiError`).
 */
export async function handleManagementRequest(
  req: IncomingMessage,
  res: ServerResponse,
  target: ManagementTarget,
  ops: ManagementOperations,
): Promise<void> {
  const requestId = createAwsStyleId();
  try {
    if (!(await ops.authorize(req))) {
      throw new ForbiddenException();
    }
    if (target.kind === 'invalid') {
      throw new ForbiddenException(target.message);
    }
    if (target.kind === 'channel') {
      if (!ops.publish) {
        throw new ForbiddenException('Channels are not enabled');
      }
      if (req.method !== 'POST') {
        throw new BadRequestException(
          `${req.method} is not supported on @channels`,
        );
      }
      const data = await readBody(req, ops.maxMessageBytes);
      const body = JSON.stringify({
        delivered: ops.publish(target.name, data),
      });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-amzn-requestid': requestId,
      });
      res.end(body);
      return;
    }
    const id = target.connectionId;
    switch (req.method) {
      case 'POST': {
        const data = await readBody(req, ops.maxMessageBytes);
        await ops.post(id, data);
        res.writeHead(200, {
          'content-length': 0,
          'x-amzn-requestid': requestId,
        });
        res.end();
        return;
      }
      case 'GET': {
        req.resume();
        const body = JSON.stringify(await ops.get(id));
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-amzn-requestid': requestId,
        });
        res.end(body);
        return;
      }
      case 'DELETE': {
        req.resume();
        await ops.delete(id);
        res.writeHead(204, { 'x-amzn-requestid': requestId });
        res.end();
        return;
      }
      default:
        throw new BadRequestException(
          `${req.method} is not supported on @connections`,
        );
    }
  } catch (error) {
    req.resume();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const apiError = toManagementApiError(error);
    if (apiError.statusCode === 413) {
      res.setHeader('connection', 'close');
    }
    writeManagementError(res, apiError, requestId);
  }
}
