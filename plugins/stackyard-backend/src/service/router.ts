import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  EnvironmentDetails,
  ListEnvironmentsResponse,
  RegisterDeploymentResponse,
  StackResourcesResponse,
  TeardownResponse,
  extendExpiryRequestSchema,
  registerDeploymentRequestSchema,
  stackyardEnvironmentDeployPermission,
  stackyardEnvironmentExtendPermission,
} from '@stackyard/plugin-stackyard-common';
import express from 'express';
import Router from 'express-promise-router';
import type { AwsTarget, Target } from '@stackyard/plugin-stackyard-node';
import type { ApprovalService } from '../approvals/ApprovalService';
import { addApprovalRoutes } from '../approvals/approvalRoutes';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { OrphanStore } from '../database/OrphanStore';
import type { DriftChecker } from '../drift/DriftChecker';
import { addCostRoutes } from '../cost/costRoutes';
import type { CostStore } from '../cost/CostStore';
import type { PriceCatalog } from '../cost/PriceCatalog';
import { addDriftRoutes } from '../drift/driftRoutes';
import type { PreviewManager } from '../previews/PreviewManager';
import { addPreviewRoutes } from '../previews/previewRoutes';
import type { EnvironmentNotifier } from '../notify/EnvironmentNotifier';
import type { StackResourceInventory } from '../reconciler/StackResourceInventory';
import type { PreviewSocketHost } from '../sockets/PreviewSocketHost';
import { addManagementRoutes, addSocketRoutes } from '../sockets/socketRoutes';
import { UpgradeHook, attachOnRequest } from '../sockets/upgradeHook';
import type { TeardownService } from '../teardown/TeardownService';
import type { StackGateway } from '../aws/CloudFormationStacks';
import { addTemplateRoutes } from '../templates/templateRoutes';
import type { TemplateCatalog } from '../templates/TemplateCatalog';
import type { TemplateUpgrader } from '../templates/TemplateUpgrader';
import type { TemplateUpgradeStore } from '../templates/TemplateUpgradeStore';
import { checkCiStack } from './ciStackCheck';
import type { EnvironmentGuard } from './EnvironmentGuard';
import { addOrphanRoutes } from './orphanRoutes';
import { addTargetRoutes } from './targetRoutes';
import { idSchema, listQuerySchema, parseInput } from './validation';

/** Dependencies of {@link createRouter}. */
export type RouterOptions = {
  httpAuth: HttpAuthService;
  store: EnvironmentStore;
  /** Decides every mutation for the caller, and audits it. */
  guard: EnvironmentGuard;
  teardown: TeardownService;
  notifier: EnvironmentNotifier;
  /** Resource lists of stacks, read from CloudFormation on demand. */
  resources: StackResourceInventory;
  /** Stacks with Stackyard tags that no catalog entity owns. */
  orphans: OrphanStore;
  /**
   * Reviewed approvals (`/environments/{id}/approval`); without it, the
   * routes are left out and deploys cannot be recorded as awaiting approval.
   */
  approvals?: ApprovalService;
  /** Drift checks (`/environments/{id}/drift`); the routes are left out without it. */
  drift?: DriftChecker;
  /** Cost estimates and actual costs (`/environments/{id}/cost`, `/cost/*`); left out without it. */
  cost?: {
    costs: CostStore;
    prices: PriceCatalog;
    /** Prices stages of local targets (`stackyard.cost.pricingTarget`). */
    pricingTarget?: AwsTarget;
  };
  targets: ReadonlyMap<string, Target>;
  /** Where a CI registration for an aws target is checked against its stack. */
  stacks: Pick<StackGateway, 'describeStack'>;
  /** Lifetime of previews whose stack leaves it to the portal (`stackyard.previews.defaultTtlHours`). */
  defaultTtlHours: number;
  /** Longest extension of a preview's expiry, in hours. */
  maxExtensionHours: number;
  /** Preview sockets: hosted WebSocket APIs, their upgrade hook and inspector. */
  sockets?: { host: PreviewSocketHost; hook: UpgradeHook };
  /** Local previews (`/environments/{id}/invoke`, `/logs`); without them those routes answer 409. */
  previews?: PreviewManager;
  /** Templates and upgrades of their entities; the routes are left out without it. */
  templates?: {
    catalog: TemplateCatalog;
    upgrades: TemplateUpgradeStore;
    upgrader: TemplateUpgrader;
  };
};

/**
 * Only backends register deployments: a service principal (CI with a static
 * or service token) or a backend acting on a user's behalf (the scaffolder).
 */
function assertBackendCaller(credentials: BackstageCredentials) {
  const principal = credentials.principal as { type: string; actor?: unknown };
  if (principal.type === 'service') return;
  if (principal.type === 'user' && principal.actor) return;
  throw new NotAllowedError(
    'Deployments are registered by the scaffolder or CI with a Backstage service token, not directly by users',
  );
}

/**
 * A deploy recorded as awaiting approval comes from the scaffolder acting
 * for a person (CI refuses broadening instead), and names a change set its
 * stack has and can execute.
 */
async function verifyHeldDeploy(
  approvals: ApprovalService,
  caller: BackstageCredentials,
  target: Target,
  held: { stackName: string; changeSetName: string },
) {
  const principal = caller.principal as { type: string; actor?: unknown };
  if (principal.type !== 'user') {
    throw new NotAllowedError(
      'Only a deploy started by a person waits for approval; CI refuses broadening changes instead',
    );
  }
  return approvals.verifyChangeSet(target, held.stackName, held.changeSetName);
}

/** The REST API described by `src/schema/openapi.yaml`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, store, guard, teardown, notifier, targets } = options;
  const router = Router();
  if (options.sockets) {
    router.use(attachOnRequest(options.sockets.hook));
    addManagementRoutes(router, { host: options.sockets.host });
  }
  router.use(express.json({ limit: '512kb' }));

  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/environments', async (req, res) => {
    await credentials(req);
    const query = parseInput(listQuerySchema, req.query, 'query');
    const page: ListEnvironmentsResponse = await store.listEnvironments(query);
    res.json(page);
  });

  router.post('/environments', async (req, res) => {
    const caller = await credentials(req);
    const result = await guard.run(
      {
        eventId: 'environment-deploy',
        severityLevel: 'high',
        request: req,
        credentials: caller,
      },
      async g => {
        assertBackendCaller(caller);
        const request = parseInput(
          registerDeploymentRequestSchema,
          req.body,
          'deployment',
        );
        g.record({
          target: request.target,
          stackName: request.stackName,
          stage: request.stage,
          status: request.status,
        });
        const target = targets.get(request.target);
        if (!target) {
          throw new InputError(
            `Invalid deployment: target "${
              request.target
            }" is not configured; configured targets: ${[
              ...targets.keys(),
            ].join(', ')}`,
          );
        }
        if (request.websocket && target.type !== 'local') {
          throw new InputError(
            `Invalid deployment: websocket is recorded for local targets only; "${target.name}" is an ${target.type} target, whose WebSocket APIs run on API Gateway`,
          );
        }
        if (request.expiresAt && new Date(request.expiresAt) <= new Date()) {
          throw new InputError(
            `Invalid deployment: expiresAt "${request.expiresAt}" is in the past`,
          );
        }
        const entityRef = request.entityRef.toLocaleLowerCase('en-US');
        await g.authorize(
          stackyardEnvironmentDeployPermission,
          entityRef,
          `You may not deploy environments of ${entityRef}: that needs the stackyard.environment.deploy permission (granted to its owners)`,
        );
        // A deploy held for review is a person's (whom approvers must not
        // be), and its change set is looked up and pinned before it counts.
        const held =
          request.approval && options.approvals
            ? await verifyHeldDeploy(options.approvals, caller, target, {
                stackName: request.stackName,
                changeSetName: request.approval.changeSetName,
              })
            : undefined;
        if (request.approval && !held) {
          throw new InputError(
            'Invalid deployment: this backend records no approvals (awaiting-approval)',
          );
        }
        // CI (a service token, no user) records only a stack that is
        // deployed and tagged for the entity.
        const inAws =
          caller.principal.type === 'service' && target.type === 'aws'
            ? await checkCiStack({
                stacks: options.stacks,
                target,
                request,
                defaultTtlHours: options.defaultTtlHours,
              })
            : undefined;
        if (inAws) g.record({ checkedInAws: true });
        const registered = await store.registerDeployment({
          request: inAws
            ? {
                ...request,
                stackId: inAws.stackId,
                outputs: inAws.outputs,
                expiresAt: request.expiresAt ?? inAws.expiresAt,
                branch: inAws.branch ?? request.branch,
                commit: inAws.commit ?? request.commit,
              }
            : request,
          target,
          actor: g.actor,
        });
        g.record({
          environmentId: registered.environment.id,
          operationId: registered.operation.id,
          created: registered.created,
        });
        if (held && request.approval && options.approvals) {
          await options.approvals.recordRequest({
            environment: registered.environment,
            target,
            changeSet: held,
            diff: request.approval.diff,
            requestedBy: g.actor,
          });
          g.record({ changeSetId: held.id });
        }
        return registered;
      },
    );
    await notifier.environmentChanged(result.environment);
    await notifier.operationChanged(result.environment, result.operation);
    const body: RegisterDeploymentResponse = {
      environment: result.environment,
      operation: result.operation,
    };
    res.status(result.created ? 201 : 200).json(body);
  });

  router.get('/environments/:id', async (req, res) => {
    await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const environment = await store.getEnvironment(id);
    if (!environment) {
      throw new NotFoundError(`No environment with id "${id}"`);
    }
    const body: EnvironmentDetails = {
      environment,
      operations: await store.listOperations(id, 10),
      recentEvents: await store.listEvents(id, 50),
    };
    res.json(body);
  });

  router.get('/environments/:id/resources', async (req, res) => {
    await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const environment = await store.getEnvironment(id);
    if (!environment) {
      throw new NotFoundError(`No environment with id "${id}"`);
    }
    const body: StackResourcesResponse = await options.resources.resourcesOf(
      environment,
    );
    res.json(body);
  });

  router.post('/environments/:id/teardown', async (req, res) => {
    const caller = await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const { operation } = await teardown.requestTeardown({
      environmentId: id,
      credentials: caller,
      request: req,
    });
    const body: TeardownResponse = { operation };
    res.status(202).json(body);
  });

  router.post('/environments/:id/extend', async (req, res) => {
    const caller = await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const environment = await guard.run(
      {
        eventId: 'environment-extend',
        request: req,
        credentials: caller,
        meta: { environmentId: id },
      },
      async g => {
        const { hours } = parseInput(
          extendExpiryRequestSchema,
          req.body,
          'extension',
        );
        g.record({ hours });
        if (hours > options.maxExtensionHours) {
          throw new InputError(
            `Invalid extension: ${hours} hours is more than the allowed ${options.maxExtensionHours}`,
          );
        }
        const current = await store.getEnvironment(id);
        if (!current) {
          throw new NotFoundError(`No environment with id "${id}"`);
        }
        g.record({ stackName: current.stackName });
        await g.authorize(
          stackyardEnvironmentExtendPermission,
          current.entityRef,
          `You may not extend previews of ${current.entityRef}: that needs the stackyard.environment.extend permission (granted to its owners)`,
        );
        const requested = Date.now() + hours * 3600_000;
        const previous = current.expiresAt ? Date.parse(current.expiresAt) : 0;
        const expiresAt = new Date(Math.max(requested, previous));
        g.record({ expiresAt: expiresAt.toISOString() });
        return store.extendExpiry(id, expiresAt);
      },
    );
    await notifier.environmentChanged(environment);
    res.json(environment);
  });

  if (options.approvals) {
    addApprovalRoutes(router, { httpAuth, approvals: options.approvals });
  }

  if (options.drift) {
    addDriftRoutes(router, { httpAuth, store, guard, checker: options.drift });
  }

  if (options.cost) {
    addCostRoutes(router, { httpAuth, store, guard, targets, ...options.cost });
  }

  addPreviewRoutes(router, {
    httpAuth,
    store,
    guard,
    previews: options.previews,
  });

  addOrphanRoutes(router, {
    httpAuth,
    orphans: options.orphans,
    store,
    guard,
    teardown,
  });

  addTargetRoutes(router, { httpAuth, targets });

  if (options.templates) {
    addTemplateRoutes(router, { httpAuth, guard, ...options.templates });
  }

  router.get('/operations/:id', async (req, res) => {
    await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'operation id');
    const operation = await store.getOperation(id);
    if (!operation) {
      throw new NotFoundError(`No operation with id "${id}"`);
    }
    res.json(operation);
  });

  if (options.sockets) {
    addSocketRoutes(router, {
      httpAuth,
      host: options.sockets.host,
      environments: store,
      guard,
    });
  }

  return router;
}
