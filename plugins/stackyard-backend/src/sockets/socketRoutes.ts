import type { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ConnectionKeyResponse,
  PreviewSocketInspection,
  sendToConnectionRequestSchema,
} from '@stackyard/plugin-stackyard-common';
import { ManagementApiError } from '@stackyard/ws-emulator';
import type { Router } from 'express';
import { z } from 'zod';
import { idSchema, parseInput } from '../service/validation';
import type { PreviewSocketHost } from './PreviewSocketHost';

/** Connection ids as the emulator makes them (API Gateway shaped). */
export const connectionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9+/=_-]{1,128}$/, {
    message: 'must be 1-128 letters, digits, +, /, =, _ or -',
  });

const inspectQuerySchema = z
  .object({
    frames: z.coerce.number().int().min(0).max(1000).default(100),
  })
  .strict();

const noApi = (id: string) =>
  new NotFoundError(`Environment "${id}" has no hosted WebSocket API`);

/** The environment and connection a connection route names, validated. */
function connectionParams(params: { id: string; connectionId: string }) {
  return {
    id: parseInput(idSchema, params.id, 'environment id'),
    connectionId: parseInput(
      connectionIdSchema,
      params.connectionId,
      'connection id',
    ),
  };
}

/** The `@connections` errors as Backstage errors (and HTTP statuses). */
async function managed<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof ManagementApiError)) throw error;
    switch (error.statusCode) {
      case 410:
        throw new NotFoundError(error.message);
      case 413:
      case 400:
        throw new InputError(error.message);
      case 429:
        throw new ServiceUnavailableError(error.message);
      default:
        throw error;
    }
  }
}

/**
 * The inspector API of preview sockets, for the Infra tab: anyone who may
 * read the environment may inspect its API, send to and close its
 * connections, and create its connection key.
 */
export function addSocketRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; host: PreviewSocketHost },
): void {
  const { httpAuth, host } = options;
  const credentials = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/environments/:id/sockets', async (req, res) => {
    await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const { frames } = parseInput(inspectQuerySchema, req.query, 'query');
    const inspection: PreviewSocketInspection | undefined = await host.inspect(
      id,
      frames,
    );
    if (!inspection) throw noApi(id);
    res.json(inspection);
  });

  router.post(
    '/environments/:id/sockets/connections/:connectionId/messages',
    async (req, res) => {
      await credentials(req);
      const { id, connectionId } = connectionParams(req.params);
      const message = parseInput(
        sendToConnectionRequestSchema,
        req.body,
        'message',
      );
      const data = Buffer.from(
        message.data,
        message.isBase64Encoded ? 'base64' : 'utf8',
      );
      if (!(await managed(() => host.send(id, connectionId, data)))) {
        throw noApi(id);
      }
      res.status(204).end();
    },
  );

  router.delete(
    '/environments/:id/sockets/connections/:connectionId',
    async (req, res) => {
      await credentials(req);
      const { id, connectionId } = connectionParams(req.params);
      if (!(await managed(() => host.disconnect(id, connectionId)))) {
        throw noApi(id);
      }
      res.status(204).end();
    },
  );

  router.post('/environments/:id/sockets/connection-key', async (req, res) => {
    await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const key = await host.rotateConnectionKey(id);
    if (!key) throw noApi(id);
    const body: ConnectionKeyResponse = { key };
    res.set('Cache-Control', 'no-store').json(body);
  });
}

/**
 * Serves `@connections` under `/sockets/{environmentId}/…` (mount before any
 * body parser: the management API reads raw bodies). Requests that are not
 * management paths fall through.
 */
export function addManagementRoutes(
  router: Router,
  options: { host: PreviewSocketHost },
): void {
  router.use('/sockets/:environmentId', async (req, res, next) => {
    const id = idSchema.safeParse(req.params.environmentId);
    if (!id.success) {
      next();
      return;
    }
    const url = req.url;
    req.url = req.originalUrl;
    let handled: boolean;
    try {
      handled = await options.host.handleManagementRequest(id.data, req, res);
    } finally {
      req.url = url;
    }
    if (!handled) next();
  });
}
