import type { TemplateResource } from '../types';

/** Table types the DynamoDB rules judge. */
export const TABLE_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'];

/** True for `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable`. */
export function isTable(resource: TemplateResource): boolean {
  return TABLE_TYPES.includes(resource.type);
}

/**
 * The settings a rule checks, per place they live: the table itself, or each
 * replica of a global table (with its region for messages).
 */
export function tableSettings(
  resource: TemplateResource,
): { where: string; settings: Record<string, unknown> }[] {
  if (resource.type === 'AWS::DynamoDB::Table') {
    return [{ where: '', settings: resource.properties as Record<string, unknown> }];
  }
  const replicas = resource.properties.Replicas;
  if (!Array.isArray(replicas) || replicas.length === 0) {
    return [{ where: ' (no Replicas)', settings: {} }];
  }
  return replicas.map((replica, i) => ({
    where: ` in replica ${
      typeof replica?.Region === 'string' ? replica.Region : `#${i}`
    }`,
    settings: (replica ?? {}) as Record<string, unknown>,
  }));
}
