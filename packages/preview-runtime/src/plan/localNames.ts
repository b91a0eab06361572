/** Resources of a CloudFormation template, by logical ID. */
export type Resources = Record<
  string,
  {
    Type?: unknown;
    Properties?: Record<string, any>;
    Metadata?: Record<string, unknown>;
  }
>;

export function pascal(name: string): string {
  return name
    .split('-')
    .map(p => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** The construct path below the stack, without `Resource`: `JobsQueue/Queue`. */
function constructPath(resource: Resources[string]): string[] {
  const path = resource.Metadata?.['aws:cdk:path'];
  if (typeof path !== 'string') return [];
  const parts = path.split('/').slice(1);
  if (parts[parts.length - 1] === 'Resource') parts.pop();
  return parts;
}

/**
 * Local names of a template's queues, tables and functions: the manifest's
 * names where the resource is one the manifest built (`jobs`, its dead-letter
 * queue `jobs-dlq`, function `intake`'s `intake-dlq`, table `items`), else
 * the resource's own `QueueName`/`TableName`, else its logical ID.
 */
export function localNames(
  resources: Resources,
  manifest: { functions?: object; queues?: object; tables?: object },
): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const name of Object.keys(manifest.functions ?? {})) {
    byPath.set(`${pascal(name)}/Function`, name);
    byPath.set(`${pascal(name)}/DeadLetterQueue`, `${name}-dlq`);
  }
  for (const name of Object.keys(manifest.queues ?? {})) {
    byPath.set(`${pascal(name)}Queue/Queue`, name);
    byPath.set(`${pascal(name)}Queue/DeadLetterQueue`, `${name}-dlq`);
  }
  for (const name of Object.keys(manifest.tables ?? {})) {
    byPath.set(`${pascal(name)}Table/Table`, name);
  }
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (
      resource.Type !== 'AWS::SQS::Queue' &&
      resource.Type !== 'AWS::DynamoDB::Table' &&
      resource.Type !== 'AWS::Lambda::Function'
    ) {
      continue;
    }
    const own =
      resource.Properties?.QueueName ?? resource.Properties?.TableName;
    const candidate =
      byPath.get(constructPath(resource).join('/')) ??
      (typeof own === 'string' ? own : undefined);
    const name = candidate && !taken.has(candidate) ? candidate : logicalId;
    taken.add(name);
    names.set(logicalId, name);
  }
  return names;
}
