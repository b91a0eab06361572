import { manifestSchema } from '@stackyard/cdk-guardrails/manifest';
import { resolveHandler } from '@stackyard/ws-emulator';
import { mkdirSync, realpathSync, writeFileSync } from 'fs';
import { isAbsolute, join, relative, resolve } from 'path';
import { Resources, localNames, pascal } from './localNames';
import { resolveEnvValue } from './resolveEnvValue';
import type {
  EnvValue,
  FunctionPlan,
  MappingPlan,
  PreviewPlan,
  QueuePlan,
  TablePlan,
} from './types';

/** A template or manifest a preview cannot run from. */
export class PreviewPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewPlanError';
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function number(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function logicalIdOf(value: unknown): string | undefined {
  const v = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown } | undefined;
  if (typeof v?.Ref === 'string') return v.Ref;
  const getAtt = v?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/**
 * Works out what a preview runs from the stack's synthesized template and
 * the service's manifest: every manifest function (its handler resolved as
 * Lambda's Node.js runtime does, inside the checkout), with the environment
 * variables and the dead-letter queue the template gives it; every table and
 * queue of the template;
 * every SQS event source mapping.
 * @throws PreviewPlanError for an invalid manifest or template, or a handler
 * outside the checkout or missing.
 */
export function buildPlan(options: {
  checkoutDir: string;
  template: unknown;
  manifest: unknown;
  workDir: string;
  region?: string;
  accountId?: string;
}): PreviewPlan {
  const parsed = manifestSchema.safeParse(options.manifest);
  if (!parsed.success) {
    throw new PreviewPlanError(
      `the service manifest is invalid: ${parsed.error.issues
        .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  const manifest = parsed.data;
  const resources = (options.template as { Resources?: unknown } | null)
    ?.Resources;
  if (!resources || typeof resources !== 'object') {
    throw new PreviewPlanError('the template has no Resources');
  }
  const typed = resources as Resources;
  const checkout = realpathSync(options.checkoutDir);
  const names = localNames(typed, manifest);
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const stackName = `${manifest.service.name}-preview`;
  const notes: string[] = [];
  const kinds = new Map<string, string>(
    Object.entries(typed).map(([id, r]) => [id, String(r.Type)]),
  );

  const queues: QueuePlan[] = [];
  const tables: TablePlan[] = [];
  for (const [logicalId, resource] of Object.entries(typed)) {
    const p = resource.Properties ?? {};
    if (resource.Type === 'AWS::SQS::Queue') {
      if (p.FifoQueue === true) {
        notes.push(
          `queue ${names.get(
            logicalId,
          )} is FIFO; the preview runs it as a standard queue`,
        );
      }
      const dlqId = logicalIdOf(p.RedrivePolicy?.deadLetterTargetArn);
      queues.push({
        name: names.get(logicalId)!,
        logicalId,
        visibilityTimeout: number(p.VisibilityTimeout, 30),
        delaySeconds: number(p.DelaySeconds, 0),
        messageRetentionPeriod: number(p.MessageRetentionPeriod, 345_600),
        ...(dlqId && names.has(dlqId)
          ? {
              redrive: {
                deadLetterQueue: names.get(dlqId)!,
                maxReceiveCount: number(
                  Number(p.RedrivePolicy.maxReceiveCount),
                  10,
                ),
              },
            }
          : {}),
      });
    } else if (resource.Type === 'AWS::DynamoDB::Table') {
      if (
        !Array.isArray(p.KeySchema) ||
        !Array.isArray(p.AttributeDefinitions)
      ) {
        throw new PreviewPlanError(
          `table ${logicalId} has no KeySchema or AttributeDefinitions`,
        );
      }
      const ttl = p.TimeToLiveSpecification;
      tables.push({
        name: names.get(logicalId)!,
        logicalId,
        keySchema: p.KeySchema,
        attributeDefinitions: p.AttributeDefinitions,
        ...(Array.isArray(p.GlobalSecondaryIndexes)
          ? { globalSecondaryIndexes: p.GlobalSecondaryIndexes }
          : {}),
        ...(Array.isArray(p.LocalSecondaryIndexes)
          ? { localSecondaryIndexes: p.LocalSecondaryIndexes }
          : {}),
        ...(ttl?.Enabled !== false && typeof ttl?.AttributeName === 'string'
          ? { timeToLiveAttribute: ttl.AttributeName }
          : {}),
      });
    }
  }

  const functionIds = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(typed)) {
    if (resource.Type === 'AWS::Lambda::Function') {
      functionIds.set(names.get(logicalId)!, logicalId);
    }
  }
  const functions: FunctionPlan[] = [];
  for (const [name, fn] of Object.entries(manifest.functions ?? {})) {
    const logicalId =
      functionIds.get(name) ??
      [...functionIds.values()].find(id =>
        id.startsWith(`${pascal(name)}Function`),
      );
    if (!logicalId) {
      throw new PreviewPlanError(
        `the template has no AWS::Lambda::Function for function ${name}`,
      );
    }
    if (fn.runtime && !fn.runtime.startsWith('nodejs')) {
      throw new PreviewPlanError(
        `function ${name} runs on ${fn.runtime}; previews run Node.js functions only`,
      );
    }
    let codeDir: string;
    if (fn.inline !== undefined) {
      // Lambda saves inline Node.js code as index.js.
      codeDir = join(options.workDir, 'inline', name);
      mkdirSync(codeDir, { recursive: true });
      writeFileSync(join(codeDir, 'index.js'), fn.inline);
    } else {
      codeDir = resolve(checkout, fn.code!);
      if (!inside(checkout, codeDir)) {
        throw new PreviewPlanError(
          `function ${name}'s code directory ${fn.code} is outside the checkout`,
        );
      }
    }
    let handler;
    try {
      handler = resolveHandler(codeDir, fn.handler);
    } catch (e) {
      throw new PreviewPlanError(`function ${name}: ${(e as Error).message}`);
    }
    const file = realpathSync(handler.file);
    if (fn.inline === undefined && !inside(checkout, file)) {
      throw new PreviewPlanError(
        `function ${name}'s handler ${fn.handler} leads outside the checkout`,
      );
    }
    const properties = typed[logicalId].Properties ?? {};
    const environment: Record<string, EnvValue> = {};
    for (const [key, value] of Object.entries(
      (properties.Environment?.Variables ?? {}) as Record<string, unknown>,
    )) {
      const resolved = resolveEnvValue(value, {
        names,
        kinds,
        region,
        accountId,
        stackName,
      });
      if (resolved) environment[key] = resolved;
      else
        notes.push(
          `function ${name}: environment variable ${key} refers to something a preview does not run; left out`,
        );
    }
    const dlqId = logicalIdOf(properties.DeadLetterConfig?.TargetArn);
    functions.push({
      name,
      logicalId,
      file,
      exportName: handler.exportName,
      codeDir,
      handler: fn.handler,
      timeoutSeconds: number(properties.Timeout, fn.timeout),
      memorySize: number(properties.MemorySize, fn.memorySize),
      environment,
      // An SNS topic as the target is not something a preview runs.
      ...(dlqId && kinds.get(dlqId) === 'AWS::SQS::Queue'
        ? { deadLetterQueue: names.get(dlqId)! }
        : {}),
    });
  }

  const mappings: MappingPlan[] = [];
  for (const resource of Object.values(typed)) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const p = resource.Properties ?? {};
    const queueId = logicalIdOf(p.EventSourceArn);
    const fnId = logicalIdOf(p.FunctionName);
    const fn = functions.find(f => f.logicalId === fnId);
    if (!queueId || kinds.get(queueId) !== 'AWS::SQS::Queue' || !fn) {
      notes.push(
        'an event source mapping that is not from a queue of the stack to a function of the manifest is left out',
      );
      continue;
    }
    if (p.Enabled === false) continue;
    mappings.push({
      queue: names.get(queueId)!,
      function: fn.name,
      batchSize: number(p.BatchSize, 10),
      reportBatchItemFailures:
        Array.isArray(p.FunctionResponseTypes) &&
        p.FunctionResponseTypes.includes('ReportBatchItemFailures'),
    });
  }
  return {
    stackName,
    region,
    accountId,
    functions,
    tables,
    queues,
    mappings,
    notes,
  };
}
