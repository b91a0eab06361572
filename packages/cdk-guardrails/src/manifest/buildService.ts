import { Duration, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import * as path from 'path';
import { SafeFunction } from '../constructs/SafeFunction';
import { SafeQueue } from '../constructs/SafeQueue';
import { SafeTable } from '../constructs/SafeTable';
import { ServiceAlarms } from '../constructs/ServiceAlarms';
import { ServiceStack } from '../constructs/ServiceStack';
import { WebSocketApi } from '../constructs/WebSocketApi';
import { stageOverridesOf } from '../stages/stageConfig';
import { MANIFEST_FILE } from './loadManifest';
import { loadExtension } from './loadExtension';
import type { ManifestFunction, ServiceManifest } from './schema';
import type { Service, ServiceExtension } from './service';

/** Options of {@link buildService}. */
export interface BuildServiceOptions {
  /** The environment's prefix, e.g. `wo-42`. */
  readonly prefix: string;
  /** The stage, e.g. `dev`. */
  readonly stage: string;
  /**
   * The git branch and commit deployed (tags `stackyard:branch` and
   * `stackyard:commit`), e.g. CI's `GITHUB_REF_NAME` and `GITHUB_SHA`.
   *
   * @default - no branch or commit tags
   */
  readonly branch?: string;
  /** See `branch`. @default - no commit tag */
  readonly commit?: string;
  /**
   * The directory `code` paths of the manifest are relative to.
   *
   * @default - the current working directory
   */
  readonly appDir?: string;
  /**
   * The construct ID of the stack.
   *
   * @default - the stack name, `<prefix>-<stage>`
   */
  readonly id?: string;
  /**
   * The stack's account and region.
   *
   * @default - environment-agnostic
   */
  readonly env?: StackProps['env'];
  /**
   * Custom CDK code that extends the stack once it is built.
   *
   * @default - the module the manifest's `extension` key names, loaded from
   * `appDir`; none when it names none
   */
  readonly extension?: ServiceExtension;
}

const ATTRIBUTE_TYPES = {
  string: dynamodb.AttributeType.STRING,
  number: dynamodb.AttributeType.NUMBER,
  binary: dynamodb.AttributeType.BINARY,
};

function pascal(name: string): string {
  return name
    .split('-')
    .map(p => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function envName(kind: string, name: string): string {
  return `${kind}_${name.replace(/-/g, '_').toUpperCase()}`;
}

function runtimeOf(name: string | undefined): lambda.Runtime | undefined {
  if (name === undefined) {
    return undefined;
  }
  let family: lambda.RuntimeFamily | undefined;
  if (name.startsWith('nodejs')) {
    family = lambda.RuntimeFamily.NODEJS;
  } else if (name.startsWith('python')) {
    family = lambda.RuntimeFamily.PYTHON;
  }
  return new lambda.Runtime(name, family);
}

/**
 * Builds a {@link ServiceStack} from a service manifest in one call: its
 * functions, queues (wired to consumers), tables (granted to readers and
 * writers), WebSocket API and alarms, sized for the stage, then applies the
 * manifest's extension. The returned parts can be extended further.
 */
export function buildService(
  scope: Construct,
  manifest: ServiceManifest,
  options: BuildServiceOptions,
): Service {
  const stack = new ServiceStack(scope, options.id ?? `${options.prefix}-${options.stage}`, {
    prefix: options.prefix,
    stage: options.stage,
    project: manifest.service.project,
    costCenter: manifest.service.costCenter,
    owner: manifest.service.owner,
    template: manifest.service.template,
    stageOverrides: stageOverridesOf(manifest),
    branch: options.branch,
    commit: options.commit,
    env: options.env,
  });
  const appDir = options.appDir ?? process.cwd();
  const sizes = manifest.stages?.[options.stage]?.functions ?? {};
  const scale = stack.stageConfig.memoryScale;

  const functions: Record<string, SafeFunction> = {};
  for (const [name, fn] of Object.entries(manifest.functions ?? {}) as [string, ManifestFunction][]) {
    const size = sizes[name] ?? {};
    const memory = size.memorySize ?? Math.min(10240, Math.round(fn.memorySize * scale));
    functions[name] = new SafeFunction(stack, pascal(name), {
      code:
        fn.inline !== undefined
          ? lambda.Code.fromInline(fn.inline)
          : lambda.Code.fromAsset(path.resolve(appDir, fn.code!)),
      handler: fn.handler,
      runtime: runtimeOf(fn.runtime),
      timeout: Duration.seconds(size.timeout ?? fn.timeout),
      memorySize: memory,
      reservedConcurrentExecutions: size.reservedConcurrency ?? fn.reservedConcurrency,
      description: fn.description,
      environment: fn.environment,
    });
  }

  const queues: Record<string, SafeQueue> = {};
  for (const [name, q] of Object.entries(manifest.queues ?? {})) {
    const queue = new SafeQueue(stack, `${pascal(name)}Queue`, {
      maxReceiveCount: q.maxReceiveCount,
      visibilityTimeout:
        q.visibilityTimeout !== undefined ? Duration.seconds(q.visibilityTimeout) : undefined,
      retentionPeriod: q.retentionDays !== undefined ? Duration.days(q.retentionDays) : undefined,
      batchSize: q.batchSize,
      consumer: q.consumer ? functions[q.consumer] : undefined,
    });
    for (const sender of q.senders ?? []) {
      queue.queue.grantSendMessages(functions[sender].function);
      functions[sender].function.addEnvironment(envName('QUEUE', name), queue.queue.queueUrl);
    }
    queues[name] = queue;
  }

  const tables: Record<string, SafeTable> = {};
  for (const [name, t] of Object.entries(manifest.tables ?? {})) {
    const table = new SafeTable(stack, `${pascal(name)}Table`, {
      partitionKey: { name: t.partitionKey.name, type: ATTRIBUTE_TYPES[t.partitionKey.type] },
      sortKey: t.sortKey
        ? { name: t.sortKey.name, type: ATTRIBUTE_TYPES[t.sortKey.type] }
        : undefined,
      timeToLiveAttribute: t.timeToLiveAttribute,
    });
    const users = new Set([...(t.readers ?? []), ...(t.writers ?? [])]);
    for (const user of users) {
      const fn = functions[user].function;
      if (t.writers?.includes(user)) {
        table.table.grantReadWriteData(fn);
      } else {
        table.table.grantReadData(fn);
      }
      fn.addEnvironment(envName('TABLE', name), table.table.tableName);
    }
    tables[name] = table;
  }

  const webSocketApi = manifest.websocket
    ? new WebSocketApi(stack, 'WebSocket', {
        routeSelectionExpression: manifest.websocket.routeSelectionExpression,
        routes: Object.fromEntries(
          Object.entries(manifest.websocket.routes).map(([route, fn]) => [route, functions[fn]]),
        ),
      })
    : undefined;

  const alarms = new ServiceAlarms(stack, 'Alarms', {
    enabled: manifest.alarms?.enabled,
    maxMessageAge:
      manifest.alarms?.maxMessageAgeMinutes !== undefined
        ? Duration.minutes(manifest.alarms.maxMessageAgeMinutes)
        : undefined,
  });
  for (const [name, fn] of Object.entries(functions)) alarms.monitorFunction(name, fn);
  for (const [name, q] of Object.entries(queues)) alarms.monitorQueue(name, q);
  for (const [name, t] of Object.entries(tables)) alarms.monitorTable(name, t);
  if (webSocketApi) alarms.monitorWebSocketApi('websocket', webSocketApi);

  const service: Service = { stack, functions, queues, tables, webSocketApi, alarms };
  const extension =
    options.extension ?? loadExtension(appDir, manifest, path.join(appDir, MANIFEST_FILE));
  extension?.(service, { prefix: options.prefix, stage: options.stage, appDir, manifest });
  return service;
}
