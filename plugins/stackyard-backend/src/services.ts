import type {
  AuditorService,
  AuthService,
  DatabaseService,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { SandboxPool } from '@stackyard/cdk-guardrails';
import type express from 'express';
import { DefaultAwsClientFactory } from './aws/AwsClientFactory';
import type { BackoffOptions } from './aws/BackoffRetryStrategy';
import { CloudFormationStacks } from './aws/CloudFormationStacks';
import { CloudWatchAlarms } from './aws/CloudWatchAlarms';
import { ApprovalService } from './approvals/ApprovalService';
import { ApprovalStore } from './approvals/ApprovalStore';
import { CloudFormationChangeSets } from './approvals/ChangeSets';
import type { StackyardOptions } from './config/readOptions';
import { CostRefresher } from './cost/CostRefresher';
import { CostStore } from './cost/CostStore';
import { PriceCatalog } from './cost/PriceCatalog';
import { DatabaseEnvironmentStore } from './database/DatabaseEnvironmentStore';
import { DatabaseOrphanStore } from './database/DatabaseOrphanStore';
import { CloudFormationDrift } from './drift/CloudFormationDrift';
import { DriftChecker, DriftPolling } from './drift/DriftChecker';
import { DriftStore } from './drift/DriftStore';
import {
  EnvironmentNotifier,
  SignalsEnvironmentNotifier,
} from './notify/EnvironmentNotifier';
import { CatalogEntityPresence } from './reconciler/EntityPresence';
import { OperationTracker } from './reconciler/OperationTracker';
import { Reconciler } from './reconciler/Reconciler';
import { StackResourceInventory } from './reconciler/StackResourceInventory';
import { Previews, createPreviews } from './previews/createPreviews';
import { followEnvironments } from './previews/followEnvironments';
import type { StartPreview } from './previews/runtime';
import type { SynthesizeCheckout } from './previews/PreviewSource';
import { EnvironmentGuard } from './service/EnvironmentGuard';
import { createRouter } from './service/router';
import {
  PreviewSockets,
  createPreviewSockets,
} from './sockets/createPreviewSockets';
import { SocketStore } from './sockets/SocketStore';
import { DefaultTeardownService } from './teardown/TeardownService';
import {
  TemplateServices,
  createTemplateServices,
} from './templates/createTemplateServices';
import type { UpgradeEngine } from './templates/UpgradeEngine';

/**
 * What {@link createStackyardServices} needs: Backstage's services, the
 * options read from `stackyard.*`, and where AWS credentials come from.
 */
export type StackyardServicesOptions = {
  /** `stackyard.*`, as {@link readOptions} returns it (schedules are not used here). */
  options: StackyardOptions;
  database: DatabaseService;
  logger: LoggerService;
  permissions: PermissionsService;
  auditor: AuditorService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  events: EventsService;
  /**
   * The catalog, asked (with the plugin's own credentials) which
   * environments' entities still exist; without it none is flagged missing.
   */
  catalog?: CatalogService;
  /** Carries live updates to browsers; not used when `notifier` is given. */
  signals?: SignalsService;
  aws: {
    /** Credentials per account (`aws.accounts`); they stay in the backend. */
    credentialsManager: AwsCredentialsManager;
    /** Retries of AWS calls. @default options.aws */
    retry?: BackoffOptions;
  };
  /** Path the router is mounted at; preview socket URLs live under it. @default '/api/stackyard' */
  mountPath?: string;
  /** Replaces the signals notifier (tests record messages instead). */
  notifier?: EnvironmentNotifier;
  /** Clock of the tracker and reconciler. @default the system clock */
  now?: () => Date;
  /** How drift checks poll CloudFormation. @default DEFAULT_DRIFT_POLLING */
  driftPolling?: Partial<DriftPolling>;
  /**
   * Upgrades a service's repository to a newer template version; without
   * it (or without `catalog`) the template routes are left out.
   */
  templateUpgradeEngine?: UpgradeEngine;
  /**
   * Where the runners of local previews call back (`@connections`); local
   * previews run only with it and the catalog.
   */
  discovery?: DiscoveryService;
  /** The preview runtime and checkout synthesis; tests pass their own. */
  previewRuntime?: { start?: StartPreview; synthesize?: SynthesizeCheckout };
  /**
   * The backend's sandbox pool, where repository code (manifest
   * extensions) is synthesized, by previews as by template upgrades; the
   * caller closes it. @default previews make their own
   */
  sandbox?: SandboxPool;
};

/** Stackyard's services, wired to each other. */
export type StackyardServices = {
  store: DatabaseEnvironmentStore;
  /** Stacks with Stackyard tags that no catalog entity owns. */
  orphans: DatabaseOrphanStore;
  stacks: CloudFormationStacks;
  alarms: CloudWatchAlarms;
  notifier: EnvironmentNotifier;
  /** Decides and audits every mutation, for the person who asked. */
  guard: EnvironmentGuard;
  teardown: DefaultTeardownService;
  tracker: OperationTracker;
  reconciler: Reconciler;
  resources: StackResourceInventory;
  /** Drift checks of aws environments, and where their results are kept. */
  drift: { checker: DriftChecker; store: DriftStore };
  /** Reviewed approvals of deploys that broaden permissions. */
  approvals: ApprovalService;
  sockets: PreviewSockets;
  /** Cost: stored estimates and refreshes, Price List prices, the Cost Explorer refresh. */
  cost: { store: CostStore; prices: PriceCatalog; refresher: CostRefresher };
  /** Local previews, when the catalog and discovery are given. */
  previews?: Previews;
  /** Template upgrades: where they are kept, and what runs them. */
  templates?: TemplateServices;
  /** The REST API, with the socket routes and management API. */
  router: express.Router;
};

/**
 * Builds every Stackyard service from Backstage's services: the one wiring
 * used by the plugin, the test replicas and the benchmark. Scheduling,
 * permission registration and shutdown hooks stay with the caller.
 */
export async function createStackyardServices(
  deps: StackyardServicesOptions,
): Promise<StackyardServices> {
  const { options, logger, permissions, auditor, now } = deps;
  const { targets } = options;

  const store = await DatabaseEnvironmentStore.create({
    database: deps.database,
    protectedStages: options.protectedStages,
    eventRetention: options.eventRetention,
  });
  const orphans = DatabaseOrphanStore.create({
    knex: await deps.database.getClient(),
    protectedStages: options.protectedStages,
  });
  const clients = DefaultAwsClientFactory.create({
    credentialsManager: deps.aws.credentialsManager,
    retry: deps.aws.retry ?? options.aws,
  });
  const stacks = CloudFormationStacks.create({ clients });
  const alarms = CloudWatchAlarms.create({ clients });
  // Previews and sockets follow environment changes; they are made after
  // the services that notify, so they are looked up when a change comes.
  // Sockets first: a torn-down preview's connections close at once, even
  // when stopping its runner waits for a start in progress.
  const followers: { previews?: Previews; sockets?: PreviewSockets } = {};
  const notifier = followEnvironments(
    deps.notifier ?? signalsNotifier(deps),
    () => [
      ...(followers.sockets
        ? [{ environmentChanged: refreshSocketsOf(followers.sockets) }]
        : []),
      ...(followers.previews ? [followers.previews.manager] : []),
    ],
    logger,
  );
  const guard = EnvironmentGuard.create({ permissions, auditor });
  const teardown = DefaultTeardownService.create({
    store,
    stacks,
    targets,
    permissions,
    auditor,
    notifier,
    logger,
  });
  const tracker = OperationTracker.create({
    store,
    stacks,
    targets,
    notifier,
    logger,
    pendingGraceMs: options.pendingGraceMs,
    deployTimeoutMs: options.deployTimeoutMs,
    now,
  });
  const reconciler = Reconciler.create({
    store,
    stacks,
    alarms,
    targets,
    teardown,
    notifier,
    logger,
    orphans,
    entities: deps.catalog
      ? CatalogEntityPresence.create({ catalog: deps.catalog, auth: deps.auth })
      : undefined,
    defaultTtlHours: options.defaultTtlHours,
    now,
  });
  const resources = StackResourceInventory.create({ store, stacks, targets });
  const approvals = ApprovalService.create({
    store,
    approvals: new ApprovalStore(await deps.database.getClient()),
    changeSets: CloudFormationChangeSets.create({ clients }),
    stacks,
    targets,
    guard,
    notifier,
    logger,
    now,
  });
  const driftStore = new DriftStore(await deps.database.getClient());
  const drift = DriftChecker.create({
    store,
    drift: driftStore,
    gateway: CloudFormationDrift.create({ clients }),
    targets,
    notifier,
    logger,
    maxConcurrentPerAccount: options.drift.maxConcurrentPerAccount,
    polling: deps.driftPolling,
    now,
  });
  const cost = {
    store: new CostStore(await deps.database.getClient()),
    prices: PriceCatalog.create({
      clients,
      cacheMs: options.cost.priceCacheMs,
    }),
    refresher: undefined as unknown as CostRefresher,
  };
  cost.refresher = CostRefresher.create({
    clients,
    store: cost.store,
    targets,
    logger,
    now,
  });
  const mountPath = deps.mountPath ?? '/api/stackyard';
  let previews: Previews | undefined;
  if (deps.catalog && deps.discovery) {
    const replicaStore = SocketStore.create({
      knex: await deps.database.getClient(),
    });
    previews = createPreviews({
      config: options.previews,
      localPublishDirectory: options.localPublishDirectory,
      targets,
      environments: store,
      catalog: deps.catalog,
      auth: deps.auth,
      discovery: deps.discovery,
      logger,
      // A replica whose heartbeat is older than its staleness is gone.
      liveReplicas: () =>
        replicaStore.liveReplicas(new Date(Date.now() - 60_000)),
      socketsPath: environmentId => `${mountPath}/sockets/${environmentId}`,
      // Made below; a runner starts only once they are.
      connections: environmentId =>
        followers.sockets?.host.runnerConnections(environmentId),
      previewChanged: async environmentId =>
        notifier.previewChanged?.(environmentId),
      sandbox: deps.sandbox,
      ...deps.previewRuntime,
    });
  }
  const sockets = await createPreviewSockets({
    knex: await deps.database.getClient(),
    environments: store,
    auth: deps.auth,
    guard,
    events: deps.events,
    logger,
    mountPath,
    ...options.sockets,
    previews: previews?.sockets,
  });
  followers.previews = previews;
  followers.sockets = sockets;
  const templates = await templateServicesOf(deps, sockets.replicaId);
  const router = await createRouter({
    sockets,
    templates,
    httpAuth: deps.httpAuth,
    store,
    guard,
    teardown,
    notifier,
    resources,
    orphans,
    drift,
    approvals,
    cost: {
      costs: cost.store,
      prices: cost.prices,
      pricingTarget: options.cost.pricingTarget,
    },
    targets,
    stacks,
    defaultTtlHours: options.defaultTtlHours,
    maxExtensionHours: options.maxExtensionHours,
    previews: previews?.manager,
  });
  return {
    store,
    orphans,
    stacks,
    alarms,
    notifier,
    guard,
    teardown,
    tracker,
    reconciler,
    resources,
    drift: { checker: drift, store: driftStore },
    approvals,
    sockets,
    cost,
    previews,
    templates,
    router,
  };
}

async function templateServicesOf(
  deps: StackyardServicesOptions,
  replicaId: string,
): Promise<TemplateServices | undefined> {
  const engine = deps.templateUpgradeEngine;
  if (!deps.catalog || !engine) return undefined;
  return createTemplateServices({
    knex: await deps.database.getClient(),
    catalog: deps.catalog,
    engine,
    logger: deps.logger,
    replicaId,
    localPublishDirectory: deps.options.localPublishDirectory,
    now: deps.now,
  });
}

/**
 * A torn-down local environment's sockets close and its URL stops answering
 * at once; other changes cost nothing (the host reloads an API on use).
 */
function refreshSocketsOf(sockets: PreviewSockets) {
  return async (environment: Environment) => {
    if (
      environment.targetType === 'local' &&
      (environment.status === 'deleted' || environment.status === 'deleting')
    ) {
      await sockets.host.refresh(environment.id);
    }
  };
}

function signalsNotifier(deps: StackyardServicesOptions) {
  if (!deps.signals) {
    throw new Error('createStackyardServices needs signals or a notifier');
  }
  return SignalsEnvironmentNotifier.create({
    signals: deps.signals,
    logger: deps.logger,
  });
}
