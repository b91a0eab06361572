import { z } from 'zod';
import {
  BUDGET_ALERT_PERCENT_RANGE,
  BUDGET_EMAIL,
  MAX_BUDGET_EMAILS,
  MAX_EMAIL_LENGTH,
} from '../constructs/ServiceBudgetLimits';
import { ACM_CERTIFICATE_ARN, ACM_CERTIFICATE_ARN_ALLOWED } from '../constructs/certificateArn';
import { MAX_TTL_HOURS } from '../stages/limits';

const name = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,39}$/,
    'must be a lowercase letter followed by at most 39 lowercase letters, digits or hyphens',
  );

const functionSizes = {
  /** Timeout in seconds, 1 to 900. */
  timeout: z.number().int().min(1).max(900),
  /** Memory in MB, 128 to 10240. */
  memorySize: z.number().int().min(128).max(10240),
  /** Reserved concurrency, 1 to 1000. */
  reservedConcurrency: z.number().int().min(1).max(1000),
};

const functionSchema = z
  .strictObject({
    handler: z.string().min(1),
    code: z.string().min(1).optional(),
    inline: z.string().min(1).optional(),
    runtime: z.string().regex(/^[a-z][a-z0-9.]*$/).optional(),
    description: z.string().max(256).optional(),
    environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
    ...functionSizes,
  })
  .refine(f => (f.code === undefined) !== (f.inline === undefined), {
    message: 'give exactly one of "code" (a directory) or "inline" (source)',
  });

const queueSchema = z.strictObject({
  consumer: name.optional(),
  senders: z.array(name).optional(),
  maxReceiveCount: z.number().int().min(1).max(5).optional(),
  visibilityTimeout: z.number().int().min(0).max(43200).optional(),
  retentionDays: z.number().int().min(1).max(14).optional(),
  batchSize: z.number().int().min(1).max(10).optional(),
});

const attribute = z.strictObject({
  name: z.string().min(1).max(255),
  type: z.enum(['string', 'number', 'binary']),
});

const tableSchema = z.strictObject({
  partitionKey: attribute,
  sortKey: attribute.optional(),
  timeToLiveAttribute: z.string().min(1).optional(),
  readers: z.array(name).optional(),
  writers: z.array(name).optional(),
});

const websocketSchema = z.strictObject({
  routeSelectionExpression: z.string().min(1).optional(),
  routes: z.record(z.string(), name),
  /**
   * Settings of the local emulator only (`stackyard-ws`: host, port,
   * logFrames, limits, …); never deployed. Their shape is validated by
   * @stackyard/ws-emulator, which owns them.
   */
  emulator: z.record(z.string(), z.unknown()).optional(),
});

const networkSchema = z.strictObject({
  /** Availability zones of the VPC, 2 to 6; default the stage's `maxAzs`, at least 2. */
  maxAzs: z.number().int().min(2).max(6).optional(),
  /** The VPC's IPv4 CIDR block. */
  cidr: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/, 'must be an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16')
    .optional(),
});

const repositoryName = z
  .string()
  .regex(
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
    'must be an ECR repository name (lowercase letters, digits, and . _ - / between them)',
  )
  .max(256);

/** Task CPU units Fargate offers. */
export const FARGATE_CPU_UNITS: readonly number[] = [256, 512, 1024, 2048, 4096, 8192, 16384];

const containerSizes = {
  /** Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
  cpu: z
    .number()
    .refine(n => FARGATE_CPU_UNITS.includes(n), `must be one of ${FARGATE_CPU_UNITS.join(', ')} (CPU units; 1024 = 1 vCPU)`),
  /** Task memory in MiB, a Fargate combination with `cpu`. */
  memoryMiB: z.number().int().min(512).max(122880),
  /** Tasks the service runs. */
  desiredCount: z.number().int().min(1).max(100),
};

const containerSchema = z.strictObject({
  /** The image: an ECR repository and, optionally, that the stack creates it. */
  image: z.strictObject({
    repository: repositoryName,
    create: z.boolean().optional(),
  }),
  command: z.array(z.string()).min(1).optional(),
  /** Behind the internet-facing load balancer (one container at most). */
  public: z.boolean().optional(),
  /** The port the container listens on (public containers). */
  port: z.number().int().min(1).max(65535).optional(),
  /** The load balancer's health check path (public containers). */
  healthCheckPath: z.string().regex(/^\/[\x21-\x7e]{0,1023}$/, 'must be a path starting with /').optional(),
  /** An ACM certificate for HTTPS on 443, with 80 redirecting to it (public containers). */
  certificateArn: z
    .string()
    .regex(ACM_CERTIFICATE_ARN, `must be ${ACM_CERTIFICATE_ARN_ALLOWED}`)
    .optional(),
  cpu: containerSizes.cpu.optional(),
  memoryMiB: containerSizes.memoryMiB.optional(),
  desiredCount: containerSizes.desiredCount.optional(),
  autoscaling: z
    .strictObject({
      maxCount: z.number().int().min(1).max(100).optional(),
      cpuPercent: z.number().int().min(10).max(95).optional(),
    })
    .optional(),
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
  /** Databases of this manifest the container connects to. */
  databases: z.array(name).optional(),
  /** Caches of this manifest the container connects to. */
  caches: z.array(name).optional(),
});

const databaseSchema = z.strictObject({
  /** The database created in the instance; default the manifest name with `_` for `-`. */
  databaseName: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, 'must be a letter followed by at most 62 letters, digits or underscores').optional(),
  /** The instance class without `db.`, e.g. `t3.small`; default the stage's. */
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an instance class like t3.micro').optional(),
  /** Allocated storage in GiB, 20 to 65536; default the stage's. */
  allocatedStorageGiB: z.number().int().min(20).max(65536).optional(),
  /** Days of automated backups, 0 to 35; default the stage's. */
  backupRetentionDays: z.number().int().min(0).max(35).optional(),
});

const cacheSchema = z.strictObject({
  /** The node type, e.g. `cache.t3.small`; default the stage's. */
  nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'must be a node type like cache.t3.micro').optional(),
});

const httpSchema = z.strictObject({
  /** Routes such as `POST /jobs` mapped to the functions that handle them. */
  routes: z.record(z.string(), name),
  /** CORS origins allowed to call the API. */
  corsOrigins: z.array(z.string().min(1)).optional(),
});

const alarmsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  maxMessageAgeMinutes: z.number().int().min(1).max(1440).optional(),
});

const budgetSchema = z.strictObject({
  /** The monthly limit in US dollars. */
  monthlyUsd: z.number().positive(),
  /** Alert when ACTUAL spend reaches this percentage of the limit, 1 to 1000; default 80. */
  alertAtPercent: z.number().min(BUDGET_ALERT_PERCENT_RANGE.min).max(BUDGET_ALERT_PERCENT_RANGE.max).optional(),
  /** Addresses Budgets mails the alert to, besides the SNS topic; at most 10. */
  notifyEmails: z
    .array(
      z
        .string()
        .max(MAX_EMAIL_LENGTH)
        .regex(BUDGET_EMAIL, 'must be one email address like team@example.com'),
    )
    .max(MAX_BUDGET_EMAILS)
    .refine(emails => new Set(emails).size === emails.length, 'must not repeat an address')
    .optional(),
});

const stageSchema = z.strictObject({
  extends: z.string().optional(),
  production: z.boolean().optional(),
  ephemeral: z.boolean().optional(),
  /** Hours an ephemeral stage's stacks live (tag `stackyard:ttl-hours`). */
  ttlHours: z.number().positive().max(MAX_TTL_HOURS).optional(),
  alarmsEnabled: z.boolean().optional(),
  logRetentionDays: z.number().int().optional(),
  memoryScale: z.number().positive().max(8).optional(),
  maxAzs: z.number().int().min(1).max(6).optional(),
  natGateways: z.number().int().min(0).max(6).optional(),
  containerDefaults: z
    .strictObject({
      cpu: containerSizes.cpu.optional(),
      memoryMiB: containerSizes.memoryMiB.optional(),
      desiredCount: containerSizes.desiredCount.optional(),
      spot: z.boolean().optional(),
    })
    .optional(),
  databaseDefaults: z
    .strictObject({
      instanceType: databaseSchema.shape.instanceType,
      allocatedStorageGiB: databaseSchema.shape.allocatedStorageGiB,
      multiAz: z.boolean().optional(),
      backupRetentionDays: databaseSchema.shape.backupRetentionDays,
    })
    .optional(),
  cacheDefaults: z
    .strictObject({
      nodeType: cacheSchema.shape.nodeType,
      snapshotRetentionDays: z.number().int().min(0).max(35).optional(),
    })
    .optional(),
  httpThrottle: z
    .strictObject({
      rateLimit: z.number().positive().max(10000).optional(),
      burstLimit: z.number().int().min(1).max(5000).optional(),
    })
    .optional(),
  functions: z
    .record(name, z.strictObject({
      timeout: functionSizes.timeout.optional(),
      memorySize: functionSizes.memorySize.optional(),
      reservedConcurrency: functionSizes.reservedConcurrency.optional(),
    }))
    .optional(),
  /** Sizes of single containers in this stage. */
  containers: z
    .record(name, z.strictObject({
      cpu: containerSizes.cpu.optional(),
      memoryMiB: containerSizes.memoryMiB.optional(),
      desiredCount: containerSizes.desiredCount.optional(),
    }))
    .optional(),
  /** A monthly cost budget of this stage's stack that alerts an SNS topic. */
  budget: budgetSchema.optional(),
});

/** The schema of `stackyard.yaml`. */
export const manifestSchema = z.strictObject({
  service: z.strictObject({
    name,
    project: z.string().regex(/^[a-z][a-z0-9]{0,31}$/, 'must be a lowercase letter followed by at most 31 lowercase letters or digits'),
    costCenter: z.string().min(1).max(256),
    owner: z.string().min(1),
    template: z.strictObject({ name: z.string().min(1), version: z.string().min(1) }).optional(),
  }),
  functions: z.record(name, functionSchema).optional(),
  queues: z.record(name, queueSchema).optional(),
  tables: z.record(name, tableSchema).optional(),
  websocket: websocketSchema.optional(),
  /** The VPC of containers, databases and caches; created with defaults when they need one. */
  network: networkSchema.optional(),
  /** Fargate services. */
  containers: z.record(name, containerSchema).optional(),
  /** RDS PostgreSQL 15 instances. */
  databases: z.record(name, databaseSchema).optional(),
  /** ElastiCache Redis 7 caches: daily snapshots, a Multi-AZ replica in production. */
  caches: z.record(name, cacheSchema).optional(),
  /** An API Gateway HTTP API whose routes invoke functions. */
  http: httpSchema.optional(),
  alarms: alarmsSchema.optional(),
  stages: z.record(z.string(), stageSchema).optional(),
  /**
   * A CommonJS module, relative to the app directory, whose exported function
   * extends the built stack with custom CDK code.
   */
  extension: z
    .string()
    .regex(/\.c?[jt]s$/, 'must name a .js, .cjs, .ts or .cts module')
    .optional(),
});

/** A parsed, schema-valid `stackyard.yaml`. */
export type ServiceManifest = z.infer<typeof manifestSchema>;
/** One function of a manifest. */
export type ManifestFunction = z.infer<typeof functionSchema>;
/** One queue of a manifest. */
export type ManifestQueue = z.infer<typeof queueSchema>;
/** One table of a manifest. */
export type ManifestTable = z.infer<typeof tableSchema>;
/** The network of a manifest. */
export type ManifestNetwork = z.infer<typeof networkSchema>;
/** One container service of a manifest. */
export type ManifestContainer = z.infer<typeof containerSchema>;
/** One database of a manifest. */
export type ManifestDatabase = z.infer<typeof databaseSchema>;
/** One cache of a manifest. */
export type ManifestCache = z.infer<typeof cacheSchema>;
/** The HTTP API of a manifest. */
export type ManifestHttp = z.infer<typeof httpSchema>;
/** The monthly budget of one stage of a manifest. */
export type ManifestBudget = z.infer<typeof budgetSchema>;
/** The stage overrides of a manifest. */
export type ManifestStage = z.infer<typeof stageSchema>;
