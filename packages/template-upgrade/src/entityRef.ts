import { parse } from 'yaml';

/**
 * The ref of the entity a repository's catalog-info.yaml describes
 * (`kind:namespace/name`, kind and namespace lowercased as the catalog
 * compares them), or undefined when the file names none. Repository
 * content: parsed as data, checked by whoever uses the ref.
 */
export function entityRefOf(catalogInfo?: string): string | undefined {
  if (!catalogInfo) return undefined;
  let entity: any;
  try {
    // The first document: the entity the repository was generated for.
    entity = parse(catalogInfo.split(/^---\s*$/m).find(d => d.trim()) ?? '');
  } catch {
    return undefined;
  }
  const kind = entity?.kind;
  const name = entity?.metadata?.name;
  const namespace = entity?.metadata?.namespace ?? 'default';
  if (
    typeof kind !== 'string' ||
    typeof name !== 'string' ||
    typeof namespace !== 'string'
  ) {
    return undefined;
  }
  return `${kind.toLocaleLowerCase('en-US')}:${namespace.toLocaleLowerCase(
    'en-US',
  )}/${name}`;
}
