import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  CheckDriftResponse,
  DriftReport,
  stackyardEnvironmentDriftCheckPermission,
} from '@stackyard/plugin-stackyard-common';
import type { Router } from 'express';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { EnvironmentGuard } from '../service/EnvironmentGuard';
import { idSchema, parseInput } from '../service/validation';
import type { DriftChecker } from './DriftChecker';

/** `POST` and `GET /environments/{id}/drift`. */
export function addDriftRoutes(
  router: Router,
  options: {
    httpAuth: HttpAuthService;
    store: EnvironmentStore;
    guard: EnvironmentGuard;
    checker: DriftChecker;
  },
) {
  const { httpAuth, store, guard, checker } = options;
  const credentials = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.post('/environments/:id/drift', async (req, res) => {
    const caller = await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const check = await guard.run(
      {
        eventId: 'environment-drift-check',
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
        await g.authorize(
          stackyardEnvironmentDriftCheckPermission,
          environment.entityRef,
          `You may not check drift of ${environment.entityRef}'s environments: that needs the stackyard.environment.drift.check permission (granted to its owners)`,
        );
        const started = await checker.start(environment);
        g.record({ started: started.started });
        return started;
      },
    );
    const body: CheckDriftResponse = {
      drift: check.environment.drift ?? { status: 'checking' },
      started: check.started,
    };
    res.status(202).json(body);
  });

  router.get('/environments/:id/drift', async (req, res) => {
    await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const environment = await store.getEnvironment(id);
    if (!environment) {
      throw new NotFoundError(`No environment with id "${id}"`);
    }
    const body: DriftReport = await checker.report(environment);
    res.json(body);
  });
}
