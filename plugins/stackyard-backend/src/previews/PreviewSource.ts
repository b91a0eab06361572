import type { AuthService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ConflictError } from '@backstage/errors';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { checkoutCommit } from './checkoutCommit';

/** What a preview runs: the checkout, its synthesized template and manifest. */
export type PreparedPreview = {
  checkoutDir: string;
  template: unknown;
  manifest: unknown;
};

/** Where a preview's code and template come from. */
export interface PreviewSource {
  /** Prepares the environment's checkout and template under `workDir`. */
  prepare(environment: Environment, workDir: string): Promise<PreparedPreview>;
}

/** Synthesizes the stack of a checkout: its manifest and template. */
export type SynthesizeCheckout = (options: {
  appDir: string;
  prefix: string;
  stage: string;
  stackName: string;
}) => Promise<{ manifest: unknown; template: unknown }>;

const LOCATION_ANNOTATION = 'backstage.io/managed-by-location';
const LOCAL_LOCATION = 'stackyard-local:';

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The repository a `stackyard:publish:local` published for an entity: the
 * directory of the entity's `stackyard-local:` location (which the catalog
 * sets; the catalog module refuses an entity that tries to), checked to be
 * inside `localPublishDirectory` after symlinks are resolved.
 */
export async function publishedRepositoryOf(options: {
  entityRef: string;
  catalog: CatalogService;
  auth: AuthService;
  localPublishDirectory?: string;
}): Promise<string> {
  const { entityRef, localPublishDirectory } = options;
  if (!localPublishDirectory) {
    throw new ConflictError(
      `${entityRef} cannot run as a local preview: local publishing is off (stackyard.scaffolder.localPublishDirectory), so there is no published repository to run`,
    );
  }
  const entity = await options.catalog.getEntityByRef(entityRef, {
    credentials: await options.auth.getOwnServiceCredentials(),
  });
  const location = entity?.metadata.annotations?.[LOCATION_ANNOTATION] ?? '';
  if (!location.startsWith(LOCAL_LOCATION)) {
    throw new ConflictError(
      `${entityRef} cannot run as a local preview: it was not published with stackyard:publish:local (its location is ${
        location ? JSON.stringify(location) : 'unknown to the catalog'
      })`,
    );
  }
  const repoDir = dirname(location.slice(LOCAL_LOCATION.length));
  const root = realpathSync(localPublishDirectory);
  const real = existsSync(repoDir) ? realpathSync(repoDir) : undefined;
  if (!real || !isInside(root, real)) {
    throw new ConflictError(
      `${entityRef} cannot run as a local preview: its repository ${JSON.stringify(
        repoDir,
      )} is missing or outside stackyard.scaffolder.localPublishDirectory`,
    );
  }
  return real;
}

/**
 * Previews of repositories published by `stackyard:publish:local`: a clean
 * checkout at the environment's deployed commit, synthesized once per commit
 * (the template is kept in the work dir, so a restart or wake does not
 * synthesize again).
 */
export class LocalRepositorySource implements PreviewSource {
  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    localPublishDirectory?: string;
    synthesize: SynthesizeCheckout;
  }): LocalRepositorySource {
    return new LocalRepositorySource(options);
  }

  private constructor(
    private readonly options: Parameters<
      typeof LocalRepositorySource.create
    >[0],
  ) {}

  async prepare(
    environment: Environment,
    workDir: string,
  ): Promise<PreparedPreview> {
    if (!environment.commit) {
      throw new ConflictError(
        `${environment.stackName} cannot run as a local preview: its deployment recorded no commit; deploy it again from the wizard or stackyard:cdk:deploy with the published commit`,
      );
    }
    const repoDir = await publishedRepositoryOf({
      entityRef: environment.entityRef,
      ...this.options,
    });
    const checkoutDir = join(workDir, 'checkout');
    await mkdir(workDir, { recursive: true });
    await checkoutCommit({
      repoDir,
      commit: environment.commit,
      checkoutDir,
    });
    const cacheFile = join(workDir, 'synthesized.json');
    const key = `${environment.commit}/${environment.prefix}/${environment.stage}`;
    const cached = await readFile(cacheFile, 'utf8')
      .then(
        text =>
          JSON.parse(text) as {
            key: string;
            manifest: unknown;
            template: unknown;
          },
      )
      .catch(() => undefined);
    if (cached?.key === key) {
      return {
        checkoutDir,
        manifest: cached.manifest,
        template: cached.template,
      };
    }
    const { manifest, template } = await this.options.synthesize({
      appDir: checkoutDir,
      prefix: environment.prefix,
      stage: environment.stage,
      stackName: environment.stackName,
    });
    await writeFile(cacheFile, JSON.stringify({ key, manifest, template }));
    return { checkoutDir, manifest, template };
  }
}
