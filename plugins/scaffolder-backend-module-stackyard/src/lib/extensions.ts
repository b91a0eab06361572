import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  SandboxError,
  SandboxPool,
  SandboxResultCache,
} from '@stackyard/cdk-guardrails';
import { quoteValue } from '@stackyard/plugin-stackyard-common';
import { parseEntityRef } from './infraLink';

/** Looks templates up in the catalog, as the task's initiator. */
export interface TemplateCatalog {
  getEntityByRef(
    entityRef: string,
    options: { credentials: BackstageCredentials },
  ): Promise<{ kind: string } | undefined>;
}

/**
 * What running a manifest's `extension` (repository code) takes: the
 * sandbox pool it runs in, never the backend process, and the catalog, to
 * refuse it in dry runs of templates that are not registered.
 */
export interface ServiceExtensions {
  readonly sandbox: SandboxPool;
  readonly catalog: TemplateCatalog;
  /**
   * Sandbox syntheses to reuse for the same files, prefix, stage and
   * environment: a task's synth and deploy steps synthesize the same app.
   * The safety policy still judges every use.
   *
   * @default - every synthesis runs a sandbox
   */
  readonly syntheses?: SandboxResultCache;
}

/** The parts of an action's context that say which task runs. */
export interface TaskOrigin {
  readonly isDryRun?: boolean;
  readonly templateInfo?: {
    entityRef?: string;
    entity?: { metadata: { name: string; namespace?: string } };
  };
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}

/**
 * The template a dry run is of. The scaffolder gives every dry run the
 * entity ref `template:default/dry-run`; the template's own name is in the
 * metadata the request carried.
 */
function dryRunTemplateRef(task: TaskOrigin): string | undefined {
  const metadata = task.templateInfo?.entity?.metadata;
  if (metadata?.name) {
    return `template:${metadata.namespace ?? 'default'}/${metadata.name}`;
  }
  return task.templateInfo?.entityRef;
}

/**
 * Refuses a manifest extension in a dry run (the template editor's, open to
 * every signed-in user, with files from the request) unless the template it
 * names is registered in the catalog and visible to the initiator.
 *
 * This narrows who triggers repository code from the editor; it is not the
 * security boundary. A dry run carries only its template's metadata, so a
 * request may borrow a registered template's name while sending its own
 * files: the sandbox the extension runs in is what protects the backend.
 */
export async function checkExtensionAllowed(
  task: TaskOrigin | undefined,
  catalog: TemplateCatalog,
  extension: string,
): Promise<void> {
  if (!task?.isDryRun) return;
  const ref = dryRunTemplateRef(task);
  const entity = ref
    ? await catalog.getEntityByRef(ref, {
        credentials: await task.getInitiatorCredentials(),
      })
    : undefined;
  if (entity?.kind.toLowerCase() !== 'template') {
    throw new InputError(
      `manifest extensions run only for templates registered in the catalog; this dry run's template ${
        ref ? quoteValue(ref) : '(unnamed)'
      } is not, so its extension ${quoteValue(extension)} was not run`,
    );
  }
}

/** A sandbox failure as the task's error: the user's code failed, or cannot run. */
export function sandboxInputError(error: unknown, extension: string): unknown {
  if (error instanceof SandboxError) {
    return new InputError(
      `manifest extension ${quoteValue(extension)}: ${error.message}`,
    );
  }
  return error;
}

/**
 * The catalog's templates through its REST API, asked on behalf of the
 * task's initiator (so only templates they can see count).
 */
export function catalogTemplates(options: {
  auth: AuthService;
  discovery: DiscoveryService;
  fetchFn?: typeof fetch;
}): TemplateCatalog {
  const fetchFn = options.fetchFn ?? fetch;
  return {
    async getEntityByRef(entityRef, { credentials }) {
      const { kind, namespace, name } = parseEntityRef(entityRef);
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'catalog',
      });
      const baseUrl = await options.discovery.getBaseUrl('catalog');
      const response = await fetchFn(
        `${baseUrl}/entities/by-name/${[kind, namespace, name]
          .map(encodeURIComponent)
          .join('/')}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (response.status === 404) return undefined;
      if (!response.ok) {
        throw new Error(
          `catalog lookup of ${entityRef} failed: ${response.status} ${response.statusText}`,
        );
      }
      return (await response.json()) as { kind: string };
    },
  };
}
