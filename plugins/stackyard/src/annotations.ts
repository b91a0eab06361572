import type { Entity } from '@backstage/catalog-model';

/**
 * The stack-name prefix of the entity's environments (e.g. `wo` for
 * `wo-dev`, `wo-prod`); branch environments add to it (`wo-42-dev`).
 */
export const STACKYARD_PREFIX_ANNOTATION = 'stackyard.io/prefix';

/**
 * The scaffolder template the entity was created from, `name` or
 * `name@version` (e.g. `lambda-service@1.4.0`).
 */
export const STACKYARD_TEMPLATE_ANNOTATION = 'stackyard.io/template';

/**
 * On a Template entity: the template's current version. When it is newer
 * than the version an environment was deployed from, the Infra tab says so.
 */
export const STACKYARD_TEMPLATE_VERSION_ANNOTATION =
  'stackyard.io/template-version';

/** True when the entity carries a Stackyard annotation, so it has an Infra tab. */
export function isStackyardAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[STACKYARD_PREFIX_ANNOTATION] ||
      annotations[STACKYARD_TEMPLATE_ANNOTATION],
  );
}

/** The template named by {@link STACKYARD_TEMPLATE_ANNOTATION}, if any. */
export function templateOf(
  entity: Entity,
): { name: string; version?: string } | undefined {
  const value = entity.metadata.annotations?.[STACKYARD_TEMPLATE_ANNOTATION];
  if (!value) return undefined;
  const at = value.lastIndexOf('@');
  if (at <= 0) return { name: value.trim() };
  return {
    name: value.slice(0, at).trim(),
    version: value.slice(at + 1).trim() || undefined,
  };
}
