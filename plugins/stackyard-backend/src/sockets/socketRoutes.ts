import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ConnectionKeyResponse,
  Environment,
  PreviewSocketInspection,
  connectionIdSchema,
  inspectSocketsQuerySchema,
  sendToConnectionRequestSchema,
  stackyardEnvironmentSocketManagePermission,
} from '@stackyard/plugin-stackyard-common';
import { ManagementApiError } from '@stackyard/ws-emulator';
import type { Request, Router } from 'express';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type {
  EnvironmentGuard,
  GuardedMutation,
} from '../service/EnvironmentGuard';
import { idSchema, parseInput } from '../service/validation';
import type { PreviewSocketHost } from './PreviewSocketHost';
import { parseSocketPath } from './socketPath';

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
async function asBackstageErrors<T>(operation: () => Promise<T>): Promise<T> {
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

const refusal = (environment: Environment) =>
  `You may not manage the preview sockets of ${environment.entityRef}: that needs the stackyard.environment.socket.manage permission (granted to its owners)`;

/**
 * The inspector API of preview sockets, for the Infra tab. Anyone who may
 * read the environment may list its API's routes and connections; reading
 * recent frames, sending to and closing connections and creating the
 * connection key need `stackyard.environment.socket.manage` on the
 * environment's entity, and each change is audited with the person who
 * made it.
 */
export function addSocketRoutes(
  router: Router,
  options: {
    httpAuth: HttpAuthService;
    host: PreviewSocketHost;
    environments: EnvironmentStore;
    guard: EnvironmentGuard;
  },
): void {
  const { httpAuth, host, environments, guard } = options;
  const credentials = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const environmentOf = async (id: string) => {
    const environment = await environments.getEnvironment(id);
    if (!environment) throw new NotFoundError(`No environment with id "${id}"`);
    return environment;
  };

  /** Runs a socket management change for the caller: permission-checked and audited. */
  const managed = async <T>(
    req: Request,
    caller: BackstageCredentials,
    eventId: string,
    meta: { environmentId: string; connectionId?: string },
    change: (environment: Environment, g: GuardedMutation) => Promise<T>,
  ): Promise<T> =>
    guard.run({ eventId, request: req, credentials: caller, meta }, async g => {
      const environment = await environmentOf(meta.environmentId);
      g.record({ stackName: environment.stackName });
      await g.authorize(
        stackyardEnvironmentSocketManagePermission,
        environment.entityRef,
        refusal(environment),
      );
      return change(environment, g);
    });

  router.get('/environments/:id/sockets', async (req, res) => {
    const caller = await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const { frames } = parseInput(inspectSocketsQuerySchema, req.query, 'query');
    if (frames > 0) {
      const environment = await environmentOf(id);
      const allowed = await guard.isAllowed(
        stackyardEnvironmentSocketManagePermission,
        environment.entityRef,
        caller,
      );
      if (!allowed) {
        throw new NotAllowedError(
          `${refusal(
            environment,
          )}; ask with frames=0 for the routes and connections only`,
        );
      }
    }
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
      const caller = await credentials(req);
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
      await managed(
        req,
        caller,
        'preview-socket-send',
        { environmentId: id, connectionId },
        async (_env, g) => {
          g.record({ bytes: data.length });
          if (
            !(await asBackstageErrors(() => host.send(id, connectionId, data)))
          ) {
            throw noApi(id);
          }
        },
      );
      res.status(204).end();
    },
  );

  router.delete(
    '/environments/:id/sockets/connections/:connectionId',
    async (req, res) => {
      const caller = await credentials(req);
      const { id, connectionId } = connectionParams(req.params);
      await managed(
        req,
        caller,
        'preview-socket-disconnect',
        { environmentId: id, connectionId },
        async () => {
          if (
            !(await asBackstageErrors(() => host.disconnect(id, connectionId)))
          ) {
            throw noApi(id);
          }
        },
      );
      res.status(204).end();
    },
  );

  router.post('/environments/:id/sockets/connection-key', async (req, res) => {
    const caller = await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const key = await managed(
      req,
      caller,
      'preview-socket-key-rotation',
      { environmentId: id },
      async () => {
        const created = await host.rotateConnectionKey(id);
        if (!created) throw noApi(id);
        return created;
      },
    );
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
  router.use('/sockets', async (req, res, next) => {
    const [path, ...query] = req.url.split('?');
    const parsed = parseSocketPath(path);
    if (!parsed) {
      next();
      return;
    }
    // The hosted API matches the full path against its base path, which
    // has the id in lower case.
    const url = req.url;
    req.url = [
      `${options.host.basePath(parsed.environmentId)}/${parsed.stage}${
        parsed.rest
      }`,
      ...query,
    ].join('?');
    let handled: boolean;
    try {
      handled = await options.host.handleManagementRequest(
        parsed.environmentId,
        req,
        res,
      );
    } finally {
      req.url = url;
    }
    if (!handled) next();
  });
}
