import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ChangelogEntry } from '@stackyard/plugin-stackyard-common';
import { parseChangelog } from './changelog';

/** On a Template entity: its current version. */
export const TEMPLATE_VERSION_ANNOTATION = 'stackyard.io/template-version';
/** On an entity made from a template: `name` or `name@version`. */
export const TEMPLATE_ANNOTATION = 'stackyard.io/template';
/** Where `stackyard:publish:local` repositories are registered from. */
const LOCAL_REPO_LOCATION = 'stackyard-local:';

/** A Stackyard template as the catalog has it. */
export type CatalogTemplate = {
  name: string;
  entityRef: string;
  title?: string;
  owner?: string;
  latestVersion?: string;
  /** The template's folder, when it is registered from a file. */
  directory?: string;
};

/** An entity made from a template. */
export type TemplatedEntity = {
  entityRef: string;
  title?: string;
  templateName: string;
  version?: string;
  /** The entity's repository, when it was published locally. */
  repoDir?: string;
  /** Otherwise its repository on a GitHub/GitLab host the upgrade engine has an integration for (its source location). */
  repoUrl?: string;
};

/** Reads `name` or `name@version` (the version left out when blank). */
export function parseTemplateAnnotation(
  value: string,
): { name: string; version?: string } | undefined {
  const at = value.lastIndexOf('@');
  const name = (at > 0 ? value.slice(0, at) : value).trim();
  const version = at > 0 ? value.slice(at + 1).trim() : '';
  if (!name) return undefined;
  return version ? { name, version } : { name };
}

/**
 * Stackyard templates and the entities made from them, from the catalog,
 * read with the caller's credentials (so they see what they may read).
 */
export class TemplateCatalog {
  constructor(
    private readonly catalog: CatalogService,
    /** `stackyard.scaffolder.localPublishDirectory`; repositories live below it. */
    private readonly localPublishDirectory?: string,
    /** Whether a source location is a repository the upgrade engine can reach (see UpgradeEngine). */
    private readonly hostedRepositories?: (url: string) => boolean,
  ) {}

  async templates(
    credentials: BackstageCredentials,
  ): Promise<CatalogTemplate[]> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: 'Template',
          [`metadata.annotations.${TEMPLATE_VERSION_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials },
    );
    return items
      .map(entity => this.toTemplate(entity))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async template(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<CatalogTemplate | undefined> {
    const entity = await this.catalog.getEntityByRef(
      { kind: 'Template', namespace: 'default', name },
      { credentials },
    );
    if (!entity?.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION]) {
      return undefined;
    }
    return this.toTemplate(entity);
  }

  /** Every entity annotated with a template, by template name. */
  async entities(
    credentials: BackstageCredentials,
  ): Promise<Map<string, TemplatedEntity[]>> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${TEMPLATE_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata'],
      },
      { credentials },
    );
    const byTemplate = new Map<string, TemplatedEntity[]>();
    for (const entity of items) {
      const templated = this.toTemplated(entity);
      if (!templated) continue;
      const list = byTemplate.get(templated.templateName) ?? [];
      list.push(templated);
      byTemplate.set(templated.templateName, list);
    }
    return byTemplate;
  }

  /** The entities, in the order asked; undefined for those not readable. */
  async entitiesByRefs(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<(TemplatedEntity | undefined)[]> {
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    return items.map(entity => (entity ? this.toTemplated(entity) : undefined));
  }

  /** The template folder's CHANGELOG.md, newest first as written; none when absent. */
  async changelog(template: CatalogTemplate): Promise<ChangelogEntry[]> {
    if (!template.directory) return [];
    try {
      const text = await readFile(
        join(template.directory, 'CHANGELOG.md'),
        'utf8',
      );
      return parseChangelog(text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private toTemplate(entity: Entity): CatalogTemplate {
    const annotations = entity.metadata.annotations ?? {};
    const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    return {
      name: entity.metadata.name,
      entityRef: stringifyEntityRef(entity),
      title: entity.metadata.title,
      owner: typeof owner === 'string' ? owner : undefined,
      latestVersion: annotations[TEMPLATE_VERSION_ANNOTATION],
      directory: fileDirectory(annotations[ANNOTATION_LOCATION]),
    };
  }

  private toTemplated(entity: Entity): TemplatedEntity | undefined {
    const annotations = entity.metadata.annotations ?? {};
    const template = parseTemplateAnnotation(
      annotations[TEMPLATE_ANNOTATION] ?? '',
    );
    if (!template) return undefined;
    const repoDir = this.repoDirectory(annotations[ANNOTATION_LOCATION]);
    return {
      entityRef: stringifyEntityRef(entity),
      title: entity.metadata.title,
      templateName: template.name,
      version: template.version,
      repoDir,
      repoUrl: repoDir
        ? undefined
        : this.hostedRepository(annotations[ANNOTATION_SOURCE_LOCATION]),
    };
  }

  /** The `url:` source location of an entity, when it is a repository the engine can upgrade. */
  private hostedRepository(location?: string): string | undefined {
    const url = location?.startsWith('url:') ? location.slice(4) : undefined;
    return url && this.hostedRepositories?.(url) ? url : undefined;
  }

  /**
   * The repository of a locally published entity: the folder of its
   * catalog file, only when that lies inside the publish directory (the
   * location is the catalog's word, checked once more before git runs there).
   */
  private repoDirectory(location?: string): string | undefined {
    if (
      !location?.startsWith(LOCAL_REPO_LOCATION) ||
      !this.localPublishDirectory
    ) {
      return undefined;
    }
    const dir = dirname(resolve(location.slice(LOCAL_REPO_LOCATION.length)));
    const inside = relative(this.localPublishDirectory, dir);
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) {
      return undefined;
    }
    return dir;
  }
}

/** The folder of a `file:` location. */
function fileDirectory(location?: string): string | undefined {
  if (!location?.startsWith('file:')) return undefined;
  const path = location.slice('file:'.length);
  return isAbsolute(path) ? dirname(path) : undefined;
}
