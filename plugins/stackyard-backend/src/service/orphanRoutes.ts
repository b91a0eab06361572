import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ListOrphansResponse,
  TeardownResponse,
  listOrphansQuerySchema,
  stackyardOrphanDeletePermission,
} from '@stackyard/plugin-stackyard-common';
import type express from 'express';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { OrphanStore } from '../database/OrphanStore';
import type { TeardownService } from '../teardown/TeardownService';
import type { EnvironmentGuard } from './EnvironmentGuard';
import { idSchema, parseInput } from './validation';

/** Dependencies of {@link addOrphanRoutes}. */
export type OrphanRoutesOptions = {
  httpAuth: HttpAuthService;
  orphans: OrphanStore;
  store: EnvironmentStore;
  guard: EnvironmentGuard;
  teardown: TeardownService;
};

const REFUSAL =
  'You may not tear down orphan stacks: that needs the stackyard.orphan.delete permission (granted to the platform admin groups, stackyard.platform.adminGroups)';

/**
 * `GET /orphans` and `POST /orphans/{id}/teardown`: stacks with Stackyard
 * tags that no catalog entity owns, and their teardown by platform admins.
 */
export function addOrphanRoutes(
  router: express.Router,
  options: OrphanRoutesOptions,
): void {
  const { httpAuth, orphans, store, guard, teardown } = options;
  const credentials = (req: express.Request): Promise<BackstageCredentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/orphans', async (req, res) => {
    await credentials(req);
    const query = parseInput(listOrphansQuerySchema, req.query, 'query');
    const page: ListOrphansResponse = await orphans.listOrphans(query);
    res.json(page);
  });

  router.post('/orphans/:id/teardown', async (req, res) => {
    const caller = await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'orphan id');
    const { operation } = await guard.run(
      {
        eventId: 'orphan-teardown',
        severityLevel: 'high',
        request: req,
        credentials: caller,
        meta: { orphanId: id },
      },
      async g => {
        // Decided before anything is read: a refused caller learns nothing.
        await g.authorizeBasic(stackyardOrphanDeletePermission, REFUSAL);
        const orphan = await orphans.getOrphan(id);
        if (!orphan) throw new NotFoundError(`No orphan with id "${id}"`);
        g.record({
          kind: orphan.kind,
          target: orphan.target,
          stackName: orphan.stackName,
          entityRef: orphan.entityRef,
          environmentId: orphan.environmentId,
        });
        if (orphan.protected) {
          throw new ConflictError(
            `Orphan stack "${orphan.stackName}" is protected: ${orphan.protectionReason}`,
          );
        }
        if (orphan.kind === 'missing-entity' && orphan.environmentId) {
          const current = await store.getEnvironment(orphan.environmentId);
          if (current && !current.entityMissingSince) {
            throw new ConflictError(
              `Stack "${orphan.stackName}" is no orphan any more: ${current.entityRef} is back in the catalog; tear it down from that entity's Infra tab`,
            );
          }
        }
        const environmentId = await orphans.environmentForTeardown(
          orphan.id,
          g.actor,
        );
        const environment = await store.getEnvironment(environmentId);
        if (!environment) {
          throw new NotFoundError(`No environment with id "${environmentId}"`);
        }
        const result = await teardown.teardownAuthorized(environment, g.actor);
        g.record({
          environmentId,
          operationId: result.operation.id,
          started: result.started,
          operationState: result.operation.state,
        });
        if (result.operation.state === 'failed') {
          g.recordFailure(
            new Error(result.operation.error ?? 'Teardown failed'),
          );
        }
        return result;
      },
    );
    const body: TeardownResponse = { operation };
    res.status(202).json(body);
  });
}
