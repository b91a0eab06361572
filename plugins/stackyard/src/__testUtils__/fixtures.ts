import type { Entity } from '@backstage/catalog-model';
import type {
  CostCenterTotalsResponse,
  DriftReport,
  EnvironmentCost,
  Environment,
  EnvironmentDetails,
  Operation,
  Orphan,
  PreviewLogs,
  TemplateSummary,
  StackResourcesResponse,
} from '@stackyard/plugin-stackyard-common';
import {
  StackyardApiError,
  type PreviewSocketConnection,
  type PreviewSocketFrame,
  type PreviewSocketInspection,
} from '@stackyard/plugin-stackyard-common';
import type { StackyardApi } from '../api/StackyardApi';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'work-orders-api',
    annotations: { 'stackyard.io/prefix': 'wo' },
  },
  spec: { type: 'service', owner: 'group:default/platform-team' },
};
export const entityRef = 'component:default/work-orders-api';

export function anEnvironment(patch: Partial<Environment> = {}): Environment {
  const prefix = patch.prefix ?? 'wo';
  const stage = patch.stage ?? 'dev';
  return {
    id: `env-${prefix}-${stage}`,
    entityRef,
    target: 'sandbox',
    targetType: 'aws',
    accountId: '123456789012',
    region: 'eu-west-1',
    prefix,
    stage,
    stackName: `${prefix}-${stage}`,
    status: 'ready',
    outputs: {},
    resources: {},
    alarms: [],
    protected: false,
    createdBy: 'user:default/ada',
    createdAt: '2026-01-10T10:00:00Z',
    updatedAt: '2026-01-10T11:00:00Z',
    ...patch,
  };
}

export function anOperation(patch: Partial<Operation> = {}): Operation {
  return {
    id: 'op-1',
    environmentId: 'env-wo-dev',
    type: 'deploy',
    state: 'succeeded',
    actor: 'service:ci',
    createdAt: '2026-01-10T10:00:00Z',
    updatedAt: '2026-01-10T10:05:00Z',
    finishedAt: '2026-01-10T10:05:00Z',
    ...patch,
  };
}

/** A StackyardApi whose every method is a jest mock answering from `environments`. */
export function mockStackyardApi(
  environments: Environment[],
  details: Partial<Record<string, Partial<EnvironmentDetails>>> = {},
) {
  const api: jest.Mocked<StackyardApi> = {
    listEnvironments: jest.fn(async () => ({ items: environments })),
    getEnvironment: jest.fn(async (id: string) => ({
      environment: environments.find(e => e.id === id) ?? anEnvironment({ id }),
      operations: [],
      recentEvents: [],
      ...details[id],
    })),
    teardown: jest.fn(),
    extendExpiry: jest.fn(),
    getOperation: jest.fn(),
    getResources: jest.fn<
      Promise<StackResourcesResponse>,
      Parameters<StackyardApi['getResources']>
    >(async () => ({ items: [], source: 'none' })),
    getSockets: jest.fn<
      Promise<PreviewSocketInspection>,
      Parameters<StackyardApi['getSockets']>
    >(async () => {
      throw new StackyardApiError('No WebSocket API', 404, 'NotFoundError');
    }),
    sendToConnection: jest.fn<
      Promise<void>,
      Parameters<StackyardApi['sendToConnection']>
    >(async () => {}),
    disconnect: jest.fn<Promise<void>, Parameters<StackyardApi['disconnect']>>(
      async () => {},
    ),
    rotateConnectionKey: jest.fn(),
    checkDrift: jest.fn(),
    getApproval: jest.fn(),
    decideApproval: jest.fn(),
    getDrift: jest.fn<
      Promise<DriftReport>,
      Parameters<StackyardApi['getDrift']>
    >(async () => ({ resources: [] })),
    getEnvironmentCost: jest.fn<
      Promise<EnvironmentCost>,
      Parameters<StackyardApi['getEnvironmentCost']>
    >(async () => ({})),
    getCostCenterTotals: jest.fn<
      Promise<CostCenterTotalsResponse>,
      Parameters<StackyardApi['getCostCenterTotals']>
    >(async () => ({ items: [], days: 30, stale: [] })),
    listOrphans: jest.fn(async () => ({ items: [] as Orphan[] })),
    teardownOrphan: jest.fn(),
    invokeFunction: jest.fn(),
    getPreviewLogs: jest.fn<
      Promise<PreviewLogs>,
      Parameters<StackyardApi['getPreviewLogs']>
    >(async () => ({ state: 'sleeping', functions: [], queues: [], tables: [] })),
    listTemplates: jest.fn(async () => ({
      templates: [] as TemplateSummary[],
    })),
    startTemplateUpgrades: jest.fn(),
    listTemplateUpgrades: jest.fn(),
    listTargets: jest.fn(async () => ({
      items: [{ name: 'local', type: 'local' as const }],
    })),
  };
  return api;
}

/** An orphan stack: tagged for an entity the catalog does not have. */
export function anOrphan(patch: Partial<Orphan> = {}): Orphan {
  const stackName = patch.stackName ?? 'gone-dev';
  return {
    id: `orphan-${stackName}`,
    kind: 'missing-entity',
    target: 'sandbox',
    accountId: '123456789012',
    region: 'eu-west-1',
    stackName,
    stackStatus: 'CREATE_COMPLETE',
    reason: 'The catalog has no entity component:default/gone',
    entityRef: 'component:default/gone',
    protected: false,
    firstSeenAt: '2026-01-10T10:00:00Z',
    ...patch,
  };
}

export function aSocketConnection(
  patch: Partial<PreviewSocketConnection> = {},
): PreviewSocketConnection {
  return {
    connectionId: 'conn-a',
    connectedAt: '2026-01-10T10:00:00Z',
    sourceIp: '127.0.0.1',
    ...patch,
  };
}

export function aSocketFrame(
  patch: Partial<PreviewSocketFrame> = {},
): PreviewSocketFrame {
  return {
    at: '2026-01-10T10:01:00Z',
    connectionId: 'conn-a',
    direction: 'in',
    isBinary: false,
    size: 17,
    preview: '{"action":"ping"}',
    routeKey: 'ping',
    ...patch,
  };
}

/** The inspection of `env-<prefix>-<stage>`'s preview socket API. */
export function aSocketInspection(
  environmentId = 'env-wo-dev',
  patch: Partial<PreviewSocketInspection> = {},
): PreviewSocketInspection {
  return {
    path: `/api/stackyard/sockets/${environmentId}/dev`,
    connectionsPath: `/api/stackyard/sockets/${environmentId}/dev/@connections`,
    stage: 'dev',
    routeSelectionExpression: '$request.body.action',
    routes: { $default: { type: 'http', response: true } },
    connections: [aSocketConnection()],
    recentFrames: [aSocketFrame()],
    ...patch,
  };
}
