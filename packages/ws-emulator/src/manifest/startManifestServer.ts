import type { LambdaStyleHandler } from '../integrations/moduleIntegration';
import {
  StandaloneServer,
  StandaloneServerOptions,
  startWebSocketApiServer,
} from '../standalone';

/**
 * Options of {@link startManifestServer}: the manifest, plus any
 * emulator option, which wins over the manifest's `websocket.emulator`.
 * @public
 */
export interface ManifestServerOptions
  extends Partial<Omit<StandaloneServerOptions, 'routes'>> {
  /** `stackyard.yaml`, or the directory holding it. */
  readonly manifest: string;
  /**
   * Handlers to run instead of loading a function's code, by the
   * manifest's function names (e.g. a handler built with in-memory storage).
   * @default every function's `handler` export from its `code` directory
   */
  readonly handlers?: Readonly<Record<string, LambdaStyleHandler>>;
}

/**
 * Starts a standalone emulator serving the `websocket` section of a
 * `stackyard.yaml` service manifest, as `stackyard-ws --manifest` does:
 * each route runs its function's handler in-process; routes are one-way,
 * as deployed.
 * @throws Error (a `ManifestError` from @stackyard/cdk-guardrails for schema
 *   problems) naming every problem.
 * @public
 */
export async function startManifestServer(
  options: ManifestServerOptions,
): Promise<StandaloneServer> {
  // The manifest loader (YAML parser, schemas) loads only when used.
  const { loadManifestApi } =
    require('./manifestApi') as typeof import('./manifestApi');
  const { manifest, handlers, ...overrides } = options;
  const { settings, routes } = loadManifestApi(manifest, handlers);
  const { logFrames: _logFrames, ...fromManifest } = settings;
  const given = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  );
  return startWebSocketApiServer({ ...fromManifest, ...given, routes });
}
