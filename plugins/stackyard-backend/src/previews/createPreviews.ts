import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { PreviewsConfig, Target } from '@stackyard/plugin-stackyard-node';
import type { SandboxPool } from '@stackyard/cdk-guardrails';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import { refuseNothingToRun } from './nothingToRun';
import { PreviewManager } from './PreviewManager';
import { LocalRepositorySource, SynthesizeCheckout } from './PreviewSource';
import { previewIntegration } from './previewIntegration';
import { throttlePerKey } from './throttlePerKey';
import type { RunnerConnections, StartPreview } from './runtime';
import { createCheckoutSynthesizer } from './synthesizeCheckout';

/** Browsers are told of a preview's changes at most this often. */
const CHANGE_SIGNAL_INTERVAL_MS = 1000;

/** How often idle previews are put to sleep and gone ones discarded. */
const SWEEP_INTERVAL_MS = 30_000;

/** The runtime package, loaded on the first start (it is not needed before). */
const loadRuntime: StartPreview = options =>
  (
    require('@stackyard/preview-runtime') as typeof import('@stackyard/preview-runtime')
  ).startPreview(options);

/**
 * The `@connections` endpoint a runner calls: the backend's own internal
 * origin (the runner runs on this host) with the API's path. `localhost` is
 * given as 127.0.0.1: the runner may connect only to the addresses it was
 * given, and `localhost` would resolve to one it was not.
 */
export function callbackUrlOf(
  baseUrl: string,
  socketsPath: string,
  stage: string,
): string {
  const base = new URL(baseUrl);
  if (base.hostname === 'localhost') base.hostname = '127.0.0.1';
  return `${base.origin}${socketsPath}/${stage}`;
}

/** Local previews, wired: the manager, the socket integration, and shutdown. */
export type Previews = {
  manager: PreviewManager;
  /** For the preview socket host. */
  sockets: {
    integration: (
      environmentId: string,
      fn: string,
    ) => ReturnType<typeof previewIntegration>;
    isRunnerKey(environmentId: string, key: string): boolean;
  };
  close(): Promise<void>;
};

/** Creates this backend's local previews. */
export function createPreviews(options: {
  config: PreviewsConfig;
  localPublishDirectory?: string;
  targets: ReadonlyMap<string, Target>;
  environments: EnvironmentStore;
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
  /** How many backend replicas are alive. */
  liveReplicas(): Promise<number>;
  /** The runtime; tests pass their own. @default `@stackyard/preview-runtime` */
  start?: StartPreview;
  /** How checkouts are synthesized. @default cdk-guardrails, extensions in its sandbox */
  synthesize?: SynthesizeCheckout;
  /** The backend's sandbox pool for repository code (its owner closes it). @default one of the previews' own */
  sandbox?: SandboxPool;
  /** Mount path of the plugin's sockets, as the host serves them. */
  socketsPath(environmentId: string): string;
  /** The `@connections` operations of an environment's API, for its runner's channel. */
  connections?(environmentId: string): RunnerConnections | undefined;
  /** Tells browsers a preview changed (new log lines, state, counts); throttled here. */
  previewChanged?(environmentId: string): Promise<void>;
}): Previews {
  const logger = options.logger.child({ component: 'previews' });
  const changes = throttlePerKey(CHANGE_SIGNAL_INTERVAL_MS, id => {
    void options.previewChanged?.(id);
  });
  const synthesizer = options.synthesize
    ? undefined
    : createCheckoutSynthesizer(options.sandbox);
  const manager = PreviewManager.create({
    environments: options.environments,
    targets: options.targets,
    source: LocalRepositorySource.create({
      catalog: options.catalog,
      auth: options.auth,
      localPublishDirectory: options.localPublishDirectory,
      synthesize: options.synthesize ?? synthesizer!,
    }),
    start: options.start ?? refuseNothingToRun(loadRuntime),
    dataDirectory: options.config.dataDirectory,
    idleMs: options.config.idleMs,
    maxRunning: options.config.maxRunning,
    memoryMb: options.config.memoryMb,
    queueTimeScale: options.config.queueTimeScale,
    onChange: id => changes.notify(id),
    connections: options.connections,
    liveReplicas: options.liveReplicas,
    logger,
    callbackUrl: async environment => {
      return callbackUrlOf(
        await options.discovery.getBaseUrl('stackyard'),
        options.socketsPath(environment.id),
        environment.stage,
      );
    },
  });
  manager
    .removeOrphanedData()
    .then(removed => {
      if (removed > 0) {
        logger.info(`Removed the data of ${removed} torn-down previews`);
      }
    })
    .catch(error => logger.warn(`Could not sweep preview data: ${error}`));
  const timer = setInterval(() => {
    manager
      .sweep()
      .catch(error => logger.warn(`Preview sweep failed: ${error}`));
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  return {
    manager,
    sockets: {
      integration: (environmentId, fn) =>
        previewIntegration({
          environmentId,
          fn,
          invoke: (id, name, event) => manager.invoke(id, name, event),
        }),
      isRunnerKey: (environmentId, key) =>
        manager.isRunnerKey(environmentId, key),
    },
    async close() {
      clearInterval(timer);
      changes.close();
      await manager.close();
      await synthesizer?.close();
    },
  };
}
