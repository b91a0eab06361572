import { readFileSync } from 'fs';
import { isAbsolute, resolve } from 'path';
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { quoteValue } from '@stackyard/plugin-stackyard-common';
import { parseAllDocuments } from 'yaml';
import type { StackyardActionsConfig } from '../lib/config';
import { examples } from './catalogRegisterLocal.examples';
import { waitForCatalogEntity } from '../lib/catalogWait';

/** The ID of {@link createCatalogRegisterLocalAction}'s action. */
export const CATALOG_REGISTER_LOCAL_ACTION_ID =
  'stackyard:catalog:register-local';

/** Location type the portal's catalog reads, confined to the publish directory. */
export const LOCAL_REPO_LOCATION_TYPE = 'stackyard-local';

const CATALOG_FILE = /\.ya?ml$/;

/**
 * `stackyard:catalog:register-local`: registers the catalog file of a
 * repository published by `stackyard:publish:local` (the local counterpart
 * of `catalog:register`, which only takes URLs). The location is a
 * `stackyard-local` one, which the portal's catalog reads only inside
 * `stackyard.scaffolder.localPublishDirectory`; it is added on behalf of the
 * user who runs the template.
 */
export function createCatalogRegisterLocalAction(options: {
  config: StackyardActionsConfig;
  auth: AuthService;
  discovery: DiscoveryService;
  fetchApi?: { fetch: typeof fetch };
}) {
  const { config, auth, discovery } = options;
  const fetchFn = options.fetchApi?.fetch ?? fetch;
  return createTemplateAction({
    id: CATALOG_REGISTER_LOCAL_ACTION_ID,
    description:
      'Registers the catalog file of a locally published repository (stackyard:publish:local) in the catalog',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoPath: z =>
          z
            .string()
            .describe(
              'The repository stackyard:publish:local created (its repoPath output)',
            ),
        catalogInfoPath: z =>
          z
            .string()
            .default('catalog-info.yaml')
            .describe('Path of the catalog file inside the repository'),
      },
      output: {
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'The entity the catalog file describes, once the catalog serves it; absent when it did not within stackyard.scaffolder.catalogWaitSeconds (see notice)',
            ),
        notice: z =>
          z
            .string()
            .optional()
            .describe(
              'Set only when the catalog did not serve the entity in time: a sentence saying so, for the task output',
            ),
        catalogInfoPath: z =>
          z.string().describe('Absolute path of the registered catalog file'),
      },
    },
    async handler(ctx) {
      const { repoPath } = ctx.input;
      const fileInRepo = ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
      const directory = config.localPublishDirectory;
      if (!directory) {
        throw new InputError(
          'Local publishing is off: set stackyard.scaffolder.localPublishDirectory in app-config',
        );
      }
      if (!CATALOG_FILE.test(fileInRepo) || isAbsolute(fileInRepo)) {
        throw new InputError(
          `catalogInfoPath ${quoteValue(
            fileInRepo,
          )} must be a relative path to a .yaml file`,
        );
      }
      const repo = insideOrThrow(directory, repoPath, 'repoPath', {
        within: 'the local publish directory',
      });
      if (repo === resolve(directory)) {
        throw new InputError(
          `repoPath ${quoteValue(
            repoPath,
          )} is the local publish directory itself, not a repository in it`,
        );
      }
      const target = insideOrThrow(repo, fileInRepo, 'catalogInfoPath', {
        within: 'the repository',
      });
      ctx.output('catalogInfoPath', target);

      if (ctx.isDryRun) {
        // Nothing was published in a dry run: describe the rendered file.
        const rendered = insideOrThrow(
          ctx.workspacePath,
          fileInRepo,
          'catalogInfoPath',
          { within: 'the task workspace' },
        );
        const entityRef = entityRefOf(rendered);
        ctx.logger.info(
          `Dry run: would register ${entityRef} from ${LOCAL_REPO_LOCATION_TYPE}:${target}`,
        );
        ctx.output('entityRef', entityRef);
        return;
      }

      const entityRef = entityRefOf(target);
      const credentials = await ctx.getInitiatorCredentials();
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'catalog',
      });
      const baseUrl = await discovery.getBaseUrl('catalog');
      const registered = await ctx.checkpoint({
        key: `stackyard.catalog.register-local.${target}`,
        fn: async (): Promise<{ locationEntityRef?: string }> => {
          const response = await fetchFn(`${baseUrl}/locations`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Bearer ${token}`,
            },
            body: JSON.stringify({ type: LOCAL_REPO_LOCATION_TYPE, target }),
          });
          // 409: this exact location is registered already (a re-run).
          if (response.status === 409) {
            ctx.logger.info(`${target} is registered already`);
            return {};
          }
          if (!response.ok) {
            const body = await response.text();
            throw new Error(
              `The catalog refused to register ${target} (HTTP ${
                response.status
              }): ${errorMessage(body)}`,
            );
          }
          const created = await response.json().catch(() => ({}));
          const locationEntityRef = created?.location?.entityRef;
          return typeof locationEntityRef === 'string'
            ? { locationEntityRef }
            : {};
        },
      });
      ctx.logger.info(
        `Registered ${entityRef} in the catalog from ${LOCAL_REPO_LOCATION_TYPE}:${target}`,
      );

      // The catalog processes the new location asynchronously: link to the
      // entity only once it can be opened.
      if (config.catalogWaitMs > 0) {
        const ready = await waitForCatalogEntity({
          baseUrl,
          token,
          entityRef,
          locationEntityRef: registered?.locationEntityRef,
          timeoutMs: config.catalogWaitMs,
          logger: ctx.logger,
          fetchFn,
          signal: ctx.signal,
        });
        if (!ready) {
          const notice = notReadyNotice(entityRef, config.catalogWaitMs);
          ctx.logger.warn(notice);
          ctx.output('notice', notice);
          return;
        }
      }
      ctx.output('entityRef', entityRef);
    },
  });
}

function notReadyNotice(entityRef: string, waitedMs: number): string {
  return (
    `Not in the catalog yet: ${entityRef} is registered, but the catalog ` +
    `had not processed it after ${Math.round(waitedMs / 1000)} s, ` +
    'so there is no link to it yet. ' +
    'It appears in the catalog once processed; if it never does, the ' +
    "catalog's log names the problem with its catalog-info.yaml."
  );
}

function insideOrThrow(
  base: string,
  path: string,
  field: string,
  { within }: { within: string },
): string {
  try {
    return resolveSafeChildPath(base, path);
  } catch {
    throw new InputError(`${field} ${quoteValue(path)} is outside ${within}`);
  }
}

/** `kind:namespace/name` of the first entity in a catalog file. */
function entityRefOf(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`There is no catalog file at ${file}`);
  }
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new InputError(
        `${file} is not valid YAML: ${doc.errors[0].message}`,
      );
    }
    const entity = doc.toJS();
    const kind = entity?.kind;
    const name = entity?.metadata?.name;
    if (typeof kind === 'string' && typeof name === 'string') {
      const namespace = entity.metadata.namespace ?? 'default';
      return `${kind.toLowerCase()}:${namespace}/${name}`;
    }
  }
  throw new InputError(`${file} holds no entity with a kind and a name`);
}

function errorMessage(body: string): string {
  try {
    return JSON.parse(body).error?.message ?? body;
  } catch {
    return body.slice(0, 500);
  }
}
