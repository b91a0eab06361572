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
} from '@stackyard/plugin-stackyard-common';
import express from 'express';
import Router from 'express-promise-router';
import type { Target } from '../config/targets';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import type { EnvironmentNotifier } from '../notify/EnvironmentNotifier';
import type { StackResourceInventory } from '../reconciler/StackResourceInventory';
import type { PreviewSocketHost } from '../sockets/PreviewSocketHost';
import { addManagementRoutes, addSocketRoutes } from '../sockets/socketRoutes';
import { UpgradeHook, attachOnRequest } from '../sockets/upgradeHook';
import { TeardownService, actorOf } from '../teardown/TeardownService';
import { idSchema, listQuerySchema, parseInput } from './validation';

/** Dependencies of {@link createRouter}. */
export type RouterOptions = {
  httpAuth: HttpAuthService;
  store: EnvironmentStore;
  teardown: TeardownService;
  notifier: EnvironmentNotifier;
  /** Resource lists of stacks, read from CloudFormation on demand. */
  resources: StackResourceInventory;
  targets: Map<string, Target>;
  /** Longest extension of a preview's expiry, in hours. */
  maxExtensionHours: number;
  /** Preview sockets: hosted WebSocket APIs, their upgrade hook and inspector. */
  sockets?: { host: PreviewSocketHost; hook: UpgradeHook };
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

/** The REST API described by `src/schema/openapi.yaml`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, store, teardown, notifier, targets } = options;
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
    assertBackendCaller(caller);
    const request = parseInput(
      registerDeploymentRequestSchema,
      req.body,
      'deployment',
    );
    const target = targets.get(request.target);
    if (!target) {
      throw new InputError(
        `Invalid deployment: target "${
          request.target
        }" is not configured; configured targets: ${[...targets.keys()].join(
          ', ',
        )}`,
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
    const result = await store.registerDeployment({
      request,
      target,
      actor: actorOf(caller),
    });
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
    await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const { hours } = parseInput(
      extendExpiryRequestSchema,
      req.body,
      'extension',
    );
    if (hours > options.maxExtensionHours) {
      throw new InputError(
        `Invalid extension: ${hours} hours is more than the allowed ${options.maxExtensionHours}`,
      );
    }
    const current = await store.getEnvironment(id);
    if (!current) {
      throw new NotFoundError(`No environment with id "${id}"`);
    }
    const requested = Date.now() + hours * 3600_000;
    const previous = current.expiresAt ? Date.parse(current.expiresAt) : 0;
    const environment = await store.extendExpiry(
      id,
      new Date(Math.max(requested, previous)),
    );
    await notifier.environmentChanged(environment);
    res.json(environment);
  });

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
    addSocketRoutes(router, { httpAuth, host: options.sockets.host });
  }

  return router;
}
