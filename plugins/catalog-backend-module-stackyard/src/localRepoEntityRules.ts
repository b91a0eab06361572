import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { quoteValue } from '@stackyard/plugin-stackyard-common';

/**
 * Kinds a `stackyard-local` repository never registers, whatever
 * `catalog.rules` allow: a Template runs actions with the scaffolder's
 * reach, a Location makes the catalog read further targets, and a User or
 * Group changes who owns what (and so who may tear down which stack).
 * `catalog.rules` narrows the rest (app-config.yaml allows Component, API
 * and Resource).
 */
export const KINDS_NEVER_FROM_LOCAL_REPOS: readonly string[] = [
  'Template',
  'Location',
  'User',
  'Group',
];

/** Annotations that hold a location ref the catalog or a plugin may read. */
const LOCATION_REF_ANNOTATIONS = [
  ANNOTATION_SOURCE_LOCATION,
  'backstage.io/techdocs-ref',
];
/** Annotations that hold a plain URL shown to people. */
const URL_ANNOTATIONS = [ANNOTATION_VIEW_URL, ANNOTATION_EDIT_URL];
/** Annotations only the catalog itself sets (it overwrites them anyway). */
const CATALOG_OWNED_ANNOTATIONS = [
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
];

const isWebUrl = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/**
 * Why an entity read from a `stackyard-local` location must not be
 * registered, or undefined when it may be. Such a file is written by a
 * template from form answers, so it is treated as untrusted: no kind from
 * {@link KINDS_NEVER_FROM_LOCAL_REPOS}, and no annotation that points the
 * catalog or a plugin (fetch:plain, TechDocs) at anything but a web URL —
 * `file:` and `dir:` refs would read the backend host's files.
 */
export function localRepoEntityRefusal(entity: Entity): string | undefined {
  const kind = String(entity.kind);
  if (
    KINDS_NEVER_FROM_LOCAL_REPOS.some(
      k => k.toLowerCase() === kind.toLowerCase(),
    )
  ) {
    return `A locally published repository may not register a ${quoteValue(
      kind,
    )} entity (${quoteValue(entity.metadata?.name)})`;
  }
  const annotations = entity.metadata?.annotations ?? {};
  for (const key of CATALOG_OWNED_ANNOTATIONS) {
    if (key in annotations) {
      return `Annotation ${key} is set by the catalog, not by a repository's catalog file`;
    }
  }
  for (const key of LOCATION_REF_ANNOTATIONS) {
    const value = annotations[key];
    if (value === undefined) continue;
    let ref: { type: string; target: string } | undefined;
    try {
      ref = parseLocationRef(String(value));
    } catch {
      ref = undefined;
    }
    if (!ref || ref.type !== 'url' || !isWebUrl(ref.target)) {
      return `Annotation ${key} must be a url: location of a web repository, not ${quoteValue(
        value,
      )}`;
    }
  }
  for (const key of URL_ANNOTATIONS) {
    const value = annotations[key];
    if (value !== undefined && !isWebUrl(String(value))) {
      return `Annotation ${key} must be an http(s) URL, not ${quoteValue(
        value,
      )}`;
    }
  }
  return undefined;
}
