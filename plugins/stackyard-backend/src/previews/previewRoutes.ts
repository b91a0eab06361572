import type { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  InvokeFunctionResponse,
  PreviewLogs,
  invokeFunctionRequestSchema,
  stackyardEnvironmentInvokePermission,
} from '@stackyard/plugin-stackyard-common';
import type { Router } from 'express';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { EnvironmentGuard } from '../service/EnvironmentGuard';
import { idSchema, parseInput } from '../service/validation';
import type { PreviewManager } from './PreviewManager';

/** `POST /environments/{id}/invoke` and `GET /environments/{id}/logs`. */
export function addPreviewRoutes(
  router: Router,
  options: {
    httpAuth: HttpAuthService;
    store: EnvironmentStore;
    guard: EnvironmentGuard;
    /** Without it (no catalog to find repositories in) the routes answer 409. */
    previews?: PreviewManager;
  },
) {
  const { httpAuth, store, guard } = options;
  const manager = (): PreviewManager => {
    if (!options.previews) {
      throw new ConflictError(
        'Local previews do not run on this backend: it was started without the catalog, where their repositories are found',
      );
    }
    return options.previews;
  };
  const credentials = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.post('/environments/:id/invoke', async (req, res) => {
    const caller = await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const body: InvokeFunctionResponse = await guard.run(
      {
        eventId: 'environment-invoke',
        request: req,
        credentials: caller,
        meta: { environmentId: id },
      },
      async g => {
        const environment = await store.getEnvironment(id);
        if (!environment) {
          throw new NotFoundError(`No environment with id "${id}"`);
        }
        g.record({ stackName: environment.stackName });
        // Decided before the body is read: a refused caller learns nothing
        // about the service's functions.
        await g.authorize(
          stackyardEnvironmentInvokePermission,
          environment.entityRef,
          `You may not invoke functions of ${environment.entityRef}'s previews: that needs the stackyard.environment.invoke permission (granted to its owners)`,
        );
        const request = parseInput(
          invokeFunctionRequestSchema,
          req.body,
          'invocation',
        );
        g.record({ function: request.function });
        const outcome = await manager().invoke(
          id,
          request.function,
          request.payload ?? {},
        );
        g.record({ ok: outcome.ok, durationMs: outcome.durationMs });
        return outcome.ok
          ? {
              function: request.function,
              ok: true,
              result: outcome.result,
              durationMs: outcome.durationMs,
            }
          : {
              function: request.function,
              ok: false,
              error: outcome.error,
              durationMs: outcome.durationMs,
            };
      },
    );
    res.json(body);
  });

  router.get('/environments/:id/logs', async (req, res) => {
    const caller = await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const environment = await store.getEnvironment(id);
    if (!environment) {
      throw new NotFoundError(`No environment with id "${id}"`);
    }
    // Log lines may carry the service's data: those who may invoke its
    // functions may read them (not audited: the tab polls them).
    if (
      !(await guard.isAllowed(
        stackyardEnvironmentInvokePermission,
        environment.entityRef,
        caller,
      ))
    ) {
      throw new NotAllowedError(
        `You may not read the logs of ${environment.entityRef}'s previews: that needs the stackyard.environment.invoke permission (granted to its owners)`,
      );
    }
    const body: PreviewLogs = await manager().status(id);
    res.json(body);
  });
}
