/**
 * The routes of the stackyard-backend REST API, declared once: the client
 * builds its paths from them and the backend's OpenAPI spec is generated from
 * them (`npm run openapi:generate -w @stackyard/plugin-stackyard-backend`).
 */
import type { z } from 'zod';
import {
  approvalDecisionRequestSchema,
  approvalDecisionResponseSchema,
  approvalSchema,
} from './approvals';
import {
  costCenterTotalsResponseSchema,
  environmentCostSchema,
  estimateCostRequestSchema,
  storedEstimateSchema,
} from './cost';
import { checkDriftResponseSchema, driftReportSchema } from './drift';
import {
  invokeFunctionRequestSchema,
  invokeFunctionResponseSchema,
  previewLogsResponseSchema,
} from './previews';
import {
  connectionKeyResponseSchema,
  environmentDetailsSchema,
  environmentSchema,
  errorResponseBodySchema,
  listEnvironmentsResponseSchema,
  listOrphansResponseSchema,
  operationSchema,
  previewSocketInspectionSchema,
  registerDeploymentResponseSchema,
  stackResourcesResponseSchema,
  teardownResponseSchema,
} from './models';
import {
  connectionIdSchema,
  extendExpiryRequestSchema,
  idSchema,
  inspectSocketsQuerySchema,
  listEnvironmentsQuerySchema,
  listOrphansQuerySchema,
  registerDeploymentRequestSchema,
  sendToConnectionRequestSchema,
} from './schemas';
import {
  listTemplatesResponseSchema,
  startTemplateUpgradesRequestSchema,
  templateNameSchema,
  templateUpgradesResponseSchema,
} from './templates';
import { listTargetsResponseSchema } from './targets';

/** One response of a route: a description and, unless empty, its JSON body. */
export type ApiResponse = { description: string; body?: z.ZodType };

/** A route of the API. Path parameters are the `{name}` segments of `path`. */
export type ApiRoute = {
  method: 'get' | 'post' | 'delete';
  /** Relative to the plugin's base URL, with `{name}` path parameters. */
  path: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Status → response; {@link errorResponse} for a plain Backstage error. */
  responses: Record<number, ApiResponse>;
};

/** A Backstage error body with no more to say than its status. */
export const errorResponse: ApiResponse = {
  description: 'A Backstage error body.',
  body: errorResponseBodySchema,
};

/** A Backstage error body with a route-specific meaning. */
const error = (description: string): ApiResponse => ({
  description,
  body: errorResponseBodySchema,
});

/** The path parameters every route shares, by name. */
export const pathParameters: Record<
  string,
  { schema: z.ZodType; description?: string }
> = {
  id: {
    schema: idSchema,
    description: 'Environment, operation or orphan id (case-insensitive)',
  },
  connectionId: { schema: connectionIdSchema },
  name: { schema: templateNameSchema, description: 'Template name' },
};

const gone = error('No such environment or API, or the connection is gone.');

/** Every route of the API; keys are operation ids in camel case. */
export const stackyardRoutes = {
  listEnvironments: {
    method: 'get',
    path: '/environments',
    summary: 'Lists environments, filtered and paginated (oldest first).',
    query: listEnvironmentsQuerySchema,
    responses: {
      200: {
        description: 'A page of environments.',
        body: listEnvironmentsResponseSchema,
      },
      400: errorResponse,
      401: errorResponse,
    },
  },
  registerDeployment: {
    method: 'post',
    path: '/environments',
    summary:
      "Registers a deployment, or updates the environment with the same target and stack name. Only backends may call it: a service token (CI) or a backend acting for a user (the scaffolder), in which case the user needs `stackyard.environment.deploy` on the entity. The stack name must be `<prefix>-<stage>`; a registration never changes a stack's stage nor removes its protection (409). Audited (`environment-deploy`).",
    body: registerDeploymentRequestSchema,
    responses: {
      200: {
        description: 'The environment existed and was updated.',
        body: registerDeploymentResponseSchema,
      },
      201: {
        description: 'The environment was created.',
        body: registerDeploymentResponseSchema,
      },
      400: errorResponse,
      401: errorResponse,
      403: errorResponse,
      409: errorResponse,
    },
  },
  getEnvironment: {
    method: 'get',
    path: '/environments/{id}',
    summary: 'One environment with its recent operations and stack events.',
    responses: {
      200: { description: 'The environment.', body: environmentDetailsSchema },
      400: errorResponse,
      401: errorResponse,
      404: errorResponse,
    },
  },
  listStackResources: {
    method: 'get',
    path: '/environments/{id}/resources',
    summary:
      "Every resource of the environment's stack, sorted by type and logical id. Stacks on AWS are read with ListStackResources and cached for every replica (re-read after a minute, every 5 s while an operation runs, and whenever the environment changed); local previews serve the resources the deploy action recorded from synthesis, without physical ids.",
    responses: {
      200: {
        description:
          'The resources; `staleReason` is set when CloudFormation could not be read and the stored list is served.',
        body: stackResourcesResponseSchema,
      },
      400: errorResponse,
      401: errorResponse,
      404: errorResponse,
      503: error('CloudFormation could not be read and no list is stored.'),
    },
  },
  teardownEnvironment: {
    method: 'post',
    path: '/environments/{id}/teardown',
    summary:
      'Tears the environment down. Needs `stackyard.environment.delete` on the entity. Idempotent: while a teardown runs, and once it finished, concurrent and repeated requests get the same operation. Audited (`environment-teardown`).',
    responses: {
      202: {
        description: 'The teardown operation (started now or already running).',
        body: teardownResponseSchema,
      },
      400: errorResponse,
      401: errorResponse,
      403: errorResponse,
      404: errorResponse,
      409: error(
        'Protected environment, another operation in progress, or already deleted outside Stackyard.',
      ),
    },
  },
  getApproval: {
    method: 'get',
    path: '/environments/{id}/approval',
    summary:
      "The environment's last approval request: the change set kept for review, its diff (IAM statements, managed policies, security-group rules, replaced resources), who started the deploy, and the decision.",
    responses: {
      200: { description: 'The approval request.', body: approvalSchema },
      400: errorResponse,
      401: errorResponse,
      404: error('No such environment, or it never waited for approval.'),
    },
  },
  decideApproval: {
    method: 'post',
    path: '/environments/{id}/approval',
    summary:
      'Approves (the backend executes that change set and follows it live, like a teardown) or rejects (the change set is deleted) a deploy waiting for approval. Needs `stackyard.deploy.approve` on the entity, and is refused to the person who started the deploy. A change set that went stale (the stack changed after it was made, or CloudFormation no longer offers it) is refused with 409 and deleted. Audited (`environment-approval`).',
    body: approvalDecisionRequestSchema,
    responses: {
      200: {
        description:
          'The decision; when approved, the operation executing the change set.',
        body: approvalDecisionResponseSchema,
      },
      400: errorResponse,
      401: errorResponse,
      403: error(
        "No `stackyard.deploy.approve` on the entity, the caller started the deploy, or the caller is a service token (approvals are a person's).",
      ),
      404: error('No such environment, or it never waited for approval.'),
      409: error(
        'Nothing waits for approval (already decided), another operation runs, or the change set went stale.',
      ),
    },
  },
  extendExpiry: {
    method: 'post',
    path: '/environments/{id}/extend',
    summary:
      "Moves a preview's expiry to `hours` from now (never earlier than it was). Needs `stackyard.environment.extend` on the entity. Audited (`environment-extend`).",
    body: extendExpiryRequestSchema,
    responses: {
      200: {
        description: 'The environment with its new expiry.',
        body: environmentSchema,
      },
      400: errorResponse,
      401: errorResponse,
      403: errorResponse,
      404: errorResponse,
      409: errorResponse,
    },
  },
  inspectSockets: {
    method: 'get',
    path: '/environments/{id}/sockets',
    summary:
      "The environment's hosted WebSocket API: its paths, routes, open connections (every replica) and recent frames (a bounded ring buffer of the answering replica). Reading frames (`frames` > 0) needs `stackyard.environment.socket.manage` on the entity.",
    query: inspectSocketsQuerySchema,
    responses: {
      200: {
        description: 'The API and its live state.',
        body: previewSocketInspectionSchema,
      },
      400: errorResponse,
      401: errorResponse,
      403: errorResponse,
      404: errorResponse,
    },
  },
  sendToConnection: {
    method: 'post',
    path: '/environments/{id}/sockets/connections/{connectionId}/messages',
    summary:
      'Sends a message to a connection, on whichever replica holds it (as `POST @connections/{connectionId}` does). Needs `stackyard.environment.socket.manage` on the entity. Audited (`preview-socket-send`).',
    body: sendToConnectionRequestSchema,
    responses: {
      204: { description: 'Sent.' },
      400: error(
        "Invalid request, or the message is larger than the API's limit.",
      ),
      401: errorResponse,
      403: errorResponse,
      404: gone,
      503: error(
        "The connection's send buffer is full (the client reads too slowly).",
      ),
    },
  },
  disconnect: {
    method: 'delete',
    path: '/environments/{id}/sockets/connections/{connectionId}',
    summary:
      'Closes a connection (code 1000), on whichever replica holds it. Needs `stackyard.environment.socket.manage` on the entity. Audited (`preview-socket-disconnect`).',
    responses: {
      204: { description: 'Closed.' },
      400: errorResponse,
      401: errorResponse,
      403: errorResponse,
      404: gone,
    },
  },
  rotateConnectionKey: {
    method: 'post',
    path: '/environments/{id}/sockets/connection-key',
    summary:
      "Creates a new connection key for the environment's WebSocket API (the previous one stops working). The key is returned once; only its SHA-256 is stored. Needs `stackyard.environment.socket.manage` on the entity. Audited (`preview-socket-key-rotation`).",
    responses: {
      200: { description: 'The new key.', body: connectionKeyResponseSchema },
      400: errorResponse,
      401: errorResponse,
      403: errorResponse,
      404: errorResponse,
    },
  },
  listOrphans: {
    method: 'get',
    path: '/orphans',
    summary:
      'Lists orphan stacks: stacks with Stackyard tags whose entity is not in the catalog, or whose tags cannot be read. The reconciler refreshes the list every cycle. Paginated (oldest first).',
    query: listOrphansQuerySchema,
    responses: {
      200: {
        description: 'A page of orphans.',
        body: listOrphansResponseSchema,
      },
      400: errorResponse,
      401: errorResponse,
    },
  },
  teardownOrphan: {
    method: 'post',
    path: '/orphans/{id}/teardown',
    summary:
      'Tears an orphan stack down. Needs `stackyard.orphan.delete` (the shipped policy grants it to `stackyard.platform.adminGroups` only). Idempotent like environment teardown. Audited (`orphan-teardown`).',
    responses: {
      202: {
        description: 'The teardown operation (started now or already running).',
        body: teardownResponseSchema,
      },
      400: errorResponse,
      401: errorResponse,
      403: errorResponse,
      404: errorResponse,
      409: error(
        'Protected stack (protected stage or termination protection), or another operation in progress.',
      ),
    },
  },
  checkDrift: {
    method: 'post',
    path: '/environments/{id}/drift',
    summary:
      "Starts a drift check of the environment's stack (CloudFormation DetectStackDrift); the result arrives on the environment's `drift` and at `GET /environments/{id}/drift`, with a live update when it finishes. Needs `stackyard.environment.drift.check` on the entity. A check of the same stack already running is reused. Audited (`environment-drift-check`).",
    responses: {
      202: {
        description: 'The check started, or one already running.',
        body: checkDriftResponseSchema,
      },
      400: errorResponse,
      401: errorResponse,
      403: errorResponse,
      404: errorResponse,
      409: error(
        'Nothing to check: a local preview, or a stack that is deleted or not deployed yet; or too many checks run in the account.',
      ),
    },
  },
  getDrift: {
    method: 'get',
    path: '/environments/{id}/drift',
    summary:
      "The environment's last drift check, per resource: status and the properties that differ (expected vs actual).",
    responses: {
      200: { description: 'The last check.', body: driftReportSchema },
      400: errorResponse,
      401: errorResponse,
      404: errorResponse,
    },
  },
  getEnvironmentCost: {
    method: 'get',
    path: '/environments/{id}/cost',
    summary:
      "The environment's estimated monthly fixed cost (from the last deploy of its stage to its target) and, for aws targets, its daily actual cost over the last 30 days from Cost Explorer (refreshed on `stackyard.cost.schedule`, at most one Cost Explorer call per account per refresh).",
    responses: {
      200: { description: 'The cost.', body: environmentCostSchema },
      400: errorResponse,
      401: errorResponse,
      404: errorResponse,
    },
  },
  estimateCost: {
    method: 'post',
    path: '/cost/estimates',
    summary:
      "Prices a synthesized CloudFormation template's monthly fixed cost (AWS Price List, cached; asked with the target's account, or `stackyard.cost.pricingTarget`'s for local targets) and keeps it as the estimate of the entity's stage on that target. Called by the deploy action on behalf of the person deploying: needs `stackyard.environment.deploy` on the entity. Audited (`cost-estimate`).",
    body: estimateCostRequestSchema,
    responses: {
      200: {
        description: 'The estimate, as kept.',
        body: storedEstimateSchema,
      },
      400: error('Invalid body, or an unknown target.'),
      401: errorResponse,
      403: errorResponse,
      409: error(
        'No AWS account to ask prices with (a local target and no `stackyard.cost.pricingTarget`).',
      ),
      503: error('The Price List API kept throttling or failed.'),
    },
  },
  getCostCenterTotals: {
    method: 'get',
    path: '/cost/centers',
    summary:
      'Actual cost of the last 30 days per cost center, summed over the environments in aws targets, from the last Cost Explorer refresh of each account.',
    responses: {
      200: {
        description: 'Totals per cost center.',
        body: costCenterTotalsResponseSchema,
      },
      401: errorResponse,
    },
  },
  invokeFunction: {
    method: 'post',
    path: '/environments/{id}/invoke',
    summary:
      "Invokes one of the service's functions in the environment's local preview with a JSON payload, starting the preview if it sleeps. A handler that throws answers 200 with `ok: false` and the error. Needs `stackyard.environment.invoke` on the entity. Audited (`environment-invoke`).",
    body: invokeFunctionRequestSchema,
    responses: {
      200: {
        description: 'The invocation ran (successfully or not).',
        body: invokeFunctionResponseSchema,
      },
      400: error('Invalid body, or no such function in the service.'),
      401: errorResponse,
      403: errorResponse,
      404: errorResponse,
      409: error(
        'Not a local preview, deleted, or its runner cannot start (the message says why).',
      ),
      429: error(
        'As many previews run as `stackyard.previews.maxRunning` allows.',
      ),
    },
  },
  getPreviewLogs: {
    method: 'get',
    path: '/environments/{id}/logs',
    summary:
      "A local preview as it runs: its state, the last lines of each function's console output, queue depths and table item counts. Does not start a sleeping preview. Needs `stackyard.environment.invoke` on the entity (log lines may carry the service's data).",
    responses: {
      200: { description: 'The preview.', body: previewLogsResponseSchema },
      400: errorResponse,
      401: errorResponse,
      403: error(
        'The caller may not invoke the functions (`stackyard.environment.invoke`), so may not read their logs.',
      ),
      404: errorResponse,
      409: error('Not a local preview.'),
    },
  },
  listTargets: {
    method: 'get',
    path: '/targets',
    summary:
      'Every configured target (stackyard.targets, in configuration order) with its type, AWS account and region, and the stages it accepts: what the "Create" wizard offers. Never credentials.',
    responses: {
      200: {
        description: 'The targets.',
        body: listTargetsResponseSchema,
      },
      401: errorResponse,
    },
  },
  listTemplates: {
    method: 'get',
    path: '/templates',
    summary:
      "Every Stackyard template in the catalog (Template entities with `stackyard.io/template-version`): its versions with how many entities are on each (entities annotated `stackyard.io/template: <name>@<version>`), the changelog of its folder's CHANGELOG.md, and its entities with whether the caller may upgrade them and their last upgrade. Only entities the caller may read are counted.",
    responses: {
      200: { description: 'The templates.', body: listTemplatesResponseSchema },
      401: errorResponse,
    },
  },
  startTemplateUpgrades: {
    method: 'post',
    path: '/templates/{name}/upgrades',
    summary:
      'Upgrades entities made from the template to its current version: one upgrade per entity, run in the background (render, merge into `stackyard/upgrade-<version>`, tests and policy). Needs `stackyard.template.upgrade` on each entity or on the template; when any entity is refused nothing starts. An entity with an upgrade queued or running gets that one. Audited (`template-upgrade`).',
    body: startTemplateUpgradesRequestSchema,
    responses: {
      202: {
        description: 'The upgrades, started now or already running.',
        body: templateUpgradesResponseSchema,
      },
      400: error(
        'Invalid body, an entity not made from this template, or one on the current version already.',
      ),
      401: errorResponse,
      403: errorResponse,
      404: error('No such template, or an entity the caller cannot read.'),
    },
  },
  listTemplateUpgrades: {
    method: 'get',
    path: '/templates/{name}/upgrades',
    summary:
      "The last upgrade of each of the template's entities, newest first: progress while it runs, then branch, conflicts, tests and policy outcome.",
    responses: {
      200: {
        description: 'The upgrades.',
        body: templateUpgradesResponseSchema,
      },
      400: errorResponse,
      401: errorResponse,
    },
  },
  getOperation: {
    method: 'get',
    path: '/operations/{id}',
    summary: 'One deploy or teardown operation.',
    responses: {
      200: { description: 'The operation.', body: operationSchema },
      400: errorResponse,
      401: errorResponse,
      404: errorResponse,
    },
  },
} as const satisfies Record<string, ApiRoute>;

/** The name of a route in {@link stackyardRoutes}. */
export type StackyardRouteName = keyof typeof stackyardRoutes;

/**
 * The route's path with its `{name}` parameters filled in, each encoded as
 * one path segment.
 */
export function routePath(
  route: Pick<ApiRoute, 'path'>,
  params: Record<string, string> = {},
): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) {
      throw new Error(`Missing path parameter "${name}" of ${route.path}`);
    }
    return encodeURIComponent(value);
  });
}
