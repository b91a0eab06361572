import { Duration, RemovalPolicy, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import * as path from 'path';
import { HttpApi } from '../constructs/HttpApi';
import { SafeCache } from '../constructs/SafeCache';
import { SafeContainerService } from '../constructs/SafeContainerService';
import { SafeDatabase } from '../constructs/SafeDatabase';
import { SafeFunction } from '../constructs/SafeFunction';
import { SafeQueue } from '../constructs/SafeQueue';
import { SafeTable } from '../constructs/SafeTable';
import { ServiceAlarms } from '../constructs/ServiceAlarms';
import { ServiceBudget } from '../constructs/ServiceBudget';
import { ServiceNetwork } from '../constructs/ServiceNetwork';
import { ServiceStack } from '../constructs/ServiceStack';
import { WebSocketApi } from '../constructs/WebSocketApi';
import { stageOverridesOf } from '../stages/stageConfig';
import { MANIFEST_FILE } from './loadManifest';
import { loadExtension } from './loadExtension';
import { addStackOutputs } from './buildServiceOutputs';
import { pascal } from './names';
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
   * The tag of the containers' images in their ECR repositories: what the
   * service's CI built and pushed.
   *
   * @default - the app's `stackyard:image-tag` context value, else `commit`,
   * else `latest`
   */
  readonly imageTag?: string;
  /**
   * Custom CDK code that extends the stack once it is built.
   *
   * @default - the module the manifest's `extension` key names, loaded from
   * `appDir`; none when it names none
   */
  readonly extension?: ServiceExtension;
}

/** The app context key CI may set to the image tag it pushed (`-c stackyard:image-tag=…`). */
export const IMAGE_TAG_CONTEXT = 'stackyard:image-tag';

const ATTRIBUTE_TYPES = {
  string: dynamodb.AttributeType.STRING,
  number: dynamodb.AttributeType.NUMBER,
  binary: dynamodb.AttributeType.BINARY,
};

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
 * writers), WebSocket and HTTP APIs, network, container services (connected
 * to their databases and caches), databases, caches and alarms, sized for
 * the stage, with its stack outputs (see `addStackOutputs`), then applies
 * the manifest's extension. The returned parts can be extended further.
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

  const httpApi = manifest.http
    ? new HttpApi(stack, 'Http', {
        routes: Object.fromEntries(
          Object.entries(manifest.http.routes).map(([route, fn]) => [route, functions[fn]]),
        ),
        corsOrigins: manifest.http.corsOrigins,
      })
    : undefined;

  const needsNetwork =
    manifest.network !== undefined ||
    [manifest.containers, manifest.databases, manifest.caches].some(
      kind => Object.keys(kind ?? {}).length > 0,
    );
  const network = needsNetwork
    ? new ServiceNetwork(stack, 'Network', {
        maxAzs: manifest.network?.maxAzs,
        cidr: manifest.network?.cidr,
      })
    : undefined;

  const databases: Record<string, SafeDatabase> = {};
  for (const [name, db] of Object.entries(manifest.databases ?? {})) {
    databases[name] = new SafeDatabase(stack, `${pascal(name)}Database`, {
      network: network!,
      databaseName: db.databaseName ?? name.replace(/-/g, '_'),
      instanceType: db.instanceType,
      allocatedStorageGiB: db.allocatedStorageGiB,
      backupRetentionDays: db.backupRetentionDays,
    });
  }

  const caches: Record<string, SafeCache> = {};
  for (const [name, cache] of Object.entries(manifest.caches ?? {})) {
    caches[name] = new SafeCache(stack, `${pascal(name)}Cache`, {
      network: network!,
      nodeType: cache.nodeType,
    });
  }

  const containers: Record<string, SafeContainerService> = {};
  const repositories: Record<string, ecr.IRepository> = {};
  let cluster: ecs.Cluster | undefined;
  const containerEntries = Object.entries(manifest.containers ?? {});
  if (containerEntries.length > 0) {
    cluster = new ecs.Cluster(stack, 'Cluster', {
      vpc: network!.vpc,
      enableFargateCapacityProviders: true,
      containerInsightsV2: stack.stageConfig.production
        ? ecs.ContainerInsights.ENABLED
        : ecs.ContainerInsights.DISABLED,
    });
    const imageTag =
      options.imageTag ??
      (stack.node.tryGetContext(IMAGE_TAG_CONTEXT) as string | undefined) ??
      options.commit ??
      'latest';
    const created = new Set(
      containerEntries.filter(([, c]) => c.image.create).map(([, c]) => c.image.repository),
    );
    const stageSizes = manifest.stages?.[options.stage]?.containers ?? {};
    for (const [name, c] of containerEntries) {
      const repoName = c.image.repository;
      if (!repositories[repoName]) {
        const id = `${pascal(repoName.replace(/[^a-z0-9-]/g, '-'))}Repository`;
        repositories[repoName] = created.has(repoName)
          ? new ecr.Repository(stack, id, {
              // Scoped by the stack: repository names are per account and region.
              repositoryName: `${stack.stackName}/${repoName}`,
              imageScanOnPush: true,
              removalPolicy: RemovalPolicy.RETAIN,
              lifecycleRules: [{ maxImageCount: 100, description: 'keep the last 100 images' }],
            })
          : ecr.Repository.fromRepositoryName(stack, id, repoName);
      }
      const size = stageSizes[name] ?? {};
      const service = new SafeContainerService(stack, `${pascal(name)}Container`, {
        network: network!,
        cluster,
        repository: repositories[repoName],
        imageTag,
        command: c.command,
        cpu: size.cpu ?? c.cpu,
        memoryMiB: size.memoryMiB ?? c.memoryMiB,
        desiredCount: size.desiredCount ?? c.desiredCount,
        maxCount: c.autoscaling?.maxCount,
        targetCpuPercent: c.autoscaling?.cpuPercent,
        publicEndpoint: c.public
          ? { port: c.port, healthCheckPath: c.healthCheckPath, certificateArn: c.certificateArn }
          : undefined,
        environment: c.environment,
      });
      // Who talks to whom: each connection opens one security group rule.
      for (const db of c.databases ?? []) service.connectToDatabase(db, databases[db]);
      for (const cache of c.caches ?? []) service.connectToCache(cache, caches[cache]);
      containers[name] = service;
    }
  }

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
  if (httpApi) alarms.monitorHttpApi('http', httpApi);
  for (const [name, c] of Object.entries(containers)) alarms.monitorContainerService(name, c);
  for (const [name, d] of Object.entries(databases)) alarms.monitorDatabase(name, d);
  for (const [name, c] of Object.entries(caches)) alarms.monitorCache(name, c);

  // The stage's budget alerts the alarm topic when the stage has one.
  const budgetOfStage = manifest.stages?.[options.stage]?.budget;
  const budget = budgetOfStage
    ? new ServiceBudget(stack, 'Budget', { ...budgetOfStage, topic: alarms.topic })
    : undefined;

  const service: Service = {
    stack,
    functions,
    queues,
    tables,
    webSocketApi,
    httpApi,
    network,
    cluster,
    repositories,
    containers,
    databases,
    caches,
    alarms,
    budget,
  };
  addStackOutputs(service);
  const extension =
    options.extension ?? loadExtension(appDir, manifest, path.join(appDir, MANIFEST_FILE));
  extension?.(service, { prefix: options.prefix, stage: options.stage, appDir, manifest });
  return service;
}
