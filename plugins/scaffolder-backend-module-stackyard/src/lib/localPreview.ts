import type { ServiceManifest } from '@stackyard/cdk-guardrails';

/** The label of environments of the local target. */
export const LOCAL_PREVIEW_LABEL = 'Local preview: not deployed to AWS';

/** The label of local previews of services with containers. */
export const LOCAL_CONTAINERS_LABEL =
  'Local preview: not deployed to AWS; containers are not run locally';

/** What a local preview records about what it runs. */
export interface LocalPreviewNotes {
  readonly statusReason: string;
  /** Outputs recorded with the ready environment, besides `Preview`. */
  readonly outputs: Record<string, string>;
}

const names = (kind: Record<string, unknown> | undefined) =>
  Object.keys(kind ?? {});

/**
 * A local preview runs a service's functions (with their tables and
 * queues); containers, databases, caches and HTTP API routes are
 * synthesized and checked but not run. For a manifest that declares any of them, the environment says
 * so: `NotRunLocally` lists them, and `RunsLocally` names the functions that
 * do run, or is `nothing` (the Infra tab then offers no runner). Manifests
 * without them record nothing more, as before.
 */
export function localPreviewNotes(
  manifest: ServiceManifest,
): LocalPreviewNotes {
  const notRun = (
    [
      ['containers', names(manifest.containers)],
      ['databases', names(manifest.databases)],
      ['caches', names(manifest.caches)],
      // Not served locally: the preview's Invoke calls the route's function.
      ['HTTP API routes', names(manifest.http?.routes)],
    ] as const
  )
    .filter(([, list]) => list.length > 0)
    .map(([kind, list]) => `${kind} ${list.join(', ')}`);
  if (notRun.length === 0) {
    return { statusReason: LOCAL_PREVIEW_LABEL, outputs: {} };
  }
  const functions = names(manifest.functions);
  return {
    statusReason:
      names(manifest.containers).length > 0
        ? LOCAL_CONTAINERS_LABEL
        : `${LOCAL_PREVIEW_LABEL}; ${notRun.join('; ')} are not run locally`,
    outputs: {
      NotRunLocally: notRun.join('; '),
      RunsLocally:
        functions.length > 0 ? `functions ${functions.join(', ')}` : 'nothing',
    },
  };
}
