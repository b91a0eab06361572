import type { AuthService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ConflictError } from '@backstage/errors';
import { MANIFEST_FILE, parseManifest } from '@stackyard/cdk-guardrails';
import type { Environment } from '@stackyard/plugin-stackyard-common';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { checkoutCommit } from './checkoutCommit';
import { git } from '@stackyard/template-upgrade';

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
  /**
   * The function names of the environment's manifest, without starting
   * anything (the Invoke dialog of a sleeping preview lists them).
   */
  functionNames(environment: Environment, workDir: string): Promise<string[]>;
}

/** The function names of a parsed manifest. */
function functionNamesOf(manifest: unknown): string[] {
  const functions = (manifest as { functions?: unknown } | undefined)
    ?.functions;
  return functions && typeof functions === 'object'
    ? Object.keys(functions)
    : [];
}

type Synthesized = { key: string; manifest: unknown; template: unknown };
const SYNTHESIZED_FILE = 'synthesized.json';

function synthesisKey(environment: Environment): string {
  return `${environment.commit}/${environment.prefix}/${environment.stage}`;
}

/** What the work dir keeps of the last synthesis, if it is of this deployment. */
async function readSynthesized(
  environment: Environment,
  workDir: string,
): Promise<Synthesized | undefined> {
  const cached = await readFile(join(workDir, SYNTHESIZED_FILE), 'utf8')
    .then(text => JSON.parse(text) as Synthesized)
    .catch(() => undefined);
  return cached?.key === synthesisKey(environment) ? cached : undefined;
}

/** Synthesizes the stack of a checkout: its manifest and template. */
export type SynthesizeCheckout = (options: {
  appDir: string;
  prefix: string;
  stage: string;
  stackName: string;
}) => Promise<{ manifest: unknown; template: unknown }>;

const COMMIT = /^[0-9a-f]{7,64}$/i;
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
    const cacheFile = join(workDir, SYNTHESIZED_FILE);
    const key = synthesisKey(environment);
    const cached = await readSynthesized(environment, workDir);
    if (cached) {
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

  /**
   * From the manifest the last start synthesized, else from the manifest
   * file at the deployed commit of the published repository (read from git,
   * no checkout, no synthesis).
   */
  async functionNames(
    environment: Environment,
    workDir: string,
  ): Promise<string[]> {
    const cached = await readSynthesized(environment, workDir);
    if (cached) return functionNamesOf(cached.manifest);
    if (!environment.commit || !COMMIT.test(environment.commit)) return [];
    const repoDir = await publishedRepositoryOf({
      entityRef: environment.entityRef,
      ...this.options,
    });
    const text = await git(['show', `${environment.commit}:${MANIFEST_FILE}`], {
      cwd: repoDir,
    });
    return functionNamesOf(parseManifest(text, MANIFEST_FILE));
  }
}
