import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { PreviewsConfig, Target } from '@stackyard/plugin-stackyard-node';
import type { EnvironmentStore } from '../database/EnvironmentStore';
import { PreviewManager } from './PreviewManager';
import { LocalRepositorySource, SynthesizeCheckout } from './PreviewSource';
import { previewIntegration } from './previewIntegration';
import type { StartPreview } from './runtime';
import { createCheckoutSynthesizer } from './synthesizeCheckout';

/** How often idle previews are put to sleep and gone ones discarded. */
const SWEEP_INTERVAL_MS = 30_000;

/** The runtime package, loaded on the first start (it is not needed before). */
const loadRuntime: StartPreview = options =>
  (
    require('@stackyard/preview-runtime') as typeof import('@stackyard/preview-runtime')
  ).startPreview(options);

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
  /** Mount path of the plugin's sockets, as the host serves them. */
  socketsPath(environmentId: string): string;
}): Previews {
  const logger = options.logger.child({ component: 'previews' });
  const synthesizer = options.synthesize
    ? undefined
    : createCheckoutSynthesizer();
  const manager = PreviewManager.create({
    environments: options.environments,
    targets: options.targets,
    source: LocalRepositorySource.create({
      catalog: options.catalog,
      auth: options.auth,
      localPublishDirectory: options.localPublishDirectory,
      synthesize: options.synthesize ?? synthesizer!,
    }),
    start: options.start ?? loadRuntime,
    dataDirectory: options.config.dataDirectory,
    idleMs: options.config.idleMs,
    maxRunning: options.config.maxRunning,
    memoryMb: options.config.memoryMb,
    liveReplicas: options.liveReplicas,
    logger,
    callbackUrl: async environment => {
      // The backend's own base URL: the runner runs on this host.
      const base = new URL(await options.discovery.getBaseUrl('stackyard'));
      return `${base.origin}${options.socketsPath(environment.id)}/${
        environment.stage
      }`;
    },
  });
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
      await manager.close();
      await synthesizer?.close();
    },
  };
}
