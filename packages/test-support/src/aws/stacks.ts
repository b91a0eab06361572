/** A CloudFormation template, as far as the loopback endpoint reads it. */
export interface StackTemplate {
  Resources?: Record<string, { Type: string; Properties?: unknown }>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
  Parameters?: Record<string, { Default?: string }>;
}

/** A resource of a stack, in ListStackResources order. */
export interface StackResource {
  logicalId: string;
  type: string;
  physicalId?: string;
  /** @default CREATE_COMPLETE */
  status?: string;
  reason?: string;
}

/** A stack event, as DescribeStackEvents reports it. */
export interface StackEvent {
  readonly eventId: string;
  readonly logicalId: string;
  readonly physicalId?: string;
  /** @default AWS::CloudFormation::Stack */
  readonly resourceType?: string;
  readonly status: string;
  readonly reason?: string;
  readonly timestamp: Date;
}

/** One resource change of a change set. */
export interface ResourceChange {
  readonly action: 'Add' | 'Modify' | 'Remove';
  readonly logicalId: string;
  readonly type: string;
}

/** A change set, as DescribeChangeSet reports it. */
export interface ChangeSet {
  readonly name: string;
  readonly id: string;
  readonly type: 'CREATE' | 'UPDATE';
  readonly template: StackTemplate;
  readonly parameters: Record<string, string>;
  readonly creationTime: Date;
  status: string;
  executionStatus: string;
  statusReason?: string;
  readonly changes: ResourceChange[];
}

/**
 * A stack of the loopback account: the one model of a stack that every
 * CloudFormation action reads and writes, whether a test seeded it with
 * `addStack` or deployed it through change sets.
 */
export interface LoopbackStack {
  readonly name: string;
  readonly id: string;
  readonly creationTime: Date;
  lastUpdatedTime?: Date;
  status: string;
  reason?: string;
  terminationProtection: boolean;
  /** The deployed template; the one being deployed while in progress. */
  template: StackTemplate;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  outputs: Record<string, string>;
  resources: StackResource[];
  /** Oldest first. */
  events: StackEvent[];
  readonly changeSets: Map<string, ChangeSet>;
}

/** What a test seeds a stack with: its name and status, the rest optional. */
export type StackSeed = Pick<LoopbackStack, 'name' | 'status'> &
  Partial<Omit<LoopbackStack, 'name' | 'status' | 'changeSets'>>;

/** The resource changes that turn one template into another. */
export function diffTemplates(
  before: StackTemplate,
  after: StackTemplate,
): ResourceChange[] {
  const old = before.Resources ?? {};
  const next = after.Resources ?? {};
  const changes: ResourceChange[] = [];
  for (const [id, r] of Object.entries(next)) {
    if (!old[id]) changes.push({ action: 'Add', logicalId: id, type: r.Type });
    else if (JSON.stringify(old[id]) !== JSON.stringify(r))
      changes.push({ action: 'Modify', logicalId: id, type: r.Type });
  }
  for (const [id, r] of Object.entries(old)) {
    if (!next[id])
      changes.push({ action: 'Remove', logicalId: id, type: r.Type });
  }
  return changes;
}

/** Resolves `Ref`, `Fn::GetAtt` and `Fn::Join` against a deployed stack. */
export function resolveValue(
  value: unknown,
  stack: LoopbackStack,
): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const physicalIdOf = (logicalId: string) =>
      stack.resources.find(r => r.logicalId === logicalId)?.physicalId;
    if (typeof v.Ref === 'string') {
      if (v.Ref === 'AWS::StackName') return stack.name;
      if (v.Ref === 'AWS::StackId') return stack.id;
      return stack.parameters[v.Ref] ?? physicalIdOf(v.Ref);
    }
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [logicalId, attribute] = v['Fn::GetAtt'] as string[];
      const physicalId = physicalIdOf(logicalId);
      return physicalId ? `${physicalId}.${attribute}` : undefined;
    }
    if (Array.isArray(v['Fn::Join'])) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(p => resolveValue(p, stack) ?? '').join(sep);
    }
  }
  return undefined;
}
