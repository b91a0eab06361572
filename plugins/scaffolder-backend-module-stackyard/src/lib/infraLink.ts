import { InputError } from '@backstage/errors';
import {
  entityRefSchema,
  quoteValue,
} from '@stackyard/plugin-stackyard-common';

/** Validates a full entity ref such as `component:default/orders`. */
export function parseEntityRef(ref: string): {
  kind: string;
  namespace: string;
  name: string;
} {
  if (!entityRefSchema.safeParse(ref).success) {
    throw new InputError(
      `entityRef ${quoteValue(
        ref,
      )} is not a full entity ref such as "component:default/orders"`,
    );
  }
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return { kind, namespace, name };
}

/** The URL of an entity's Infra tab in the portal. */
export function infraTabUrl(portalBaseUrl: string, entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `${portalBaseUrl}/catalog/${encodeURIComponent(
    namespace.toLowerCase(),
  )}/${encodeURIComponent(kind.toLowerCase())}/${encodeURIComponent(
    name,
  )}/infra`;
}
