import type { EnvValue, LocalReference } from './types';

/** What intrinsic functions in environment variables resolve against. */
export interface ResolveContext {
  /** Local names by logical ID. */
  readonly names: ReadonlyMap<string, string>;
  /** Resource types by logical ID. */
  readonly kinds: ReadonlyMap<string, string>;
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
}

type Part = string | LocalReference;

function ref(logicalId: string, context: ResolveContext): Part | undefined {
  switch (logicalId) {
    case 'AWS::Region':
      return context.region;
    case 'AWS::AccountId':
      return context.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return context.stackName;
    default:
  }
  const name = context.names.get(logicalId);
  if (name === undefined) return undefined;
  switch (context.kinds.get(logicalId)) {
    case 'AWS::SQS::Queue':
      return { queue: name, attribute: 'url' };
    case 'AWS::DynamoDB::Table':
      return { table: name, attribute: 'name' };
    case 'AWS::Lambda::Function':
      return name;
    default:
      return undefined;
  }
}

function getAtt(
  logicalId: string,
  attribute: string,
  context: ResolveContext,
): Part | undefined {
  const name = context.names.get(logicalId);
  if (name === undefined) return undefined;
  const kind = context.kinds.get(logicalId);
  if (kind === 'AWS::SQS::Queue') {
    const attributes = {
      Arn: 'arn',
      QueueName: 'name',
      QueueUrl: 'url',
    } as const;
    const a = attributes[attribute as keyof typeof attributes];
    return a && { queue: name, attribute: a };
  }
  if (kind === 'AWS::DynamoDB::Table' && attribute === 'Arn') {
    return { table: name, attribute: 'arn' };
  }
  if (kind === 'AWS::Lambda::Function' && attribute === 'Arn') {
    return `arn:aws:lambda:${context.region}:${context.accountId}:function:${name}`;
  }
  return undefined;
}

function parts(value: unknown, context: ResolveContext): Part[] | undefined {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean')
    return [String(value)];
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') {
    const part = ref(v.Ref, context);
    return part === undefined ? undefined : [part];
  }
  const att = v['Fn::GetAtt'];
  if (att !== undefined) {
    const [id, attribute] = Array.isArray(att) ? att : String(att).split('.');
    const part =
      typeof id === 'string' && typeof attribute === 'string'
        ? getAtt(id, attribute, context)
        : undefined;
    return part === undefined ? undefined : [part];
  }
  const join = v['Fn::Join'];
  if (
    Array.isArray(join) &&
    typeof join[0] === 'string' &&
    Array.isArray(join[1])
  ) {
    const out: Part[] = [];
    for (const [i, item] of join[1].entries()) {
      const resolved = parts(item, context);
      if (!resolved) return undefined;
      if (i > 0 && join[0] !== '') out.push(join[0]);
      out.push(...resolved);
    }
    return out;
  }
  return undefined;
}

/**
 * An environment variable of the template as the preview gives it: strings
 * as they are; `Ref`/`Fn::GetAtt` of the stack's queues and tables as local
 * references (the runner fills in its engines' URLs and ARNs); pseudo
 * parameters; `Fn::Join` of those. Undefined when it refers to anything else.
 */
export function resolveEnvValue(
  value: unknown,
  context: ResolveContext,
): EnvValue | undefined {
  return parts(value, context);
}
