import { z } from 'zod';
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

const alarmsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  maxMessageAgeMinutes: z.number().int().min(1).max(1440).optional(),
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
  functions: z
    .record(name, z.strictObject({
      timeout: functionSizes.timeout.optional(),
      memorySize: functionSizes.memorySize.optional(),
      reservedConcurrency: functionSizes.reservedConcurrency.optional(),
    }))
    .optional(),
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
/** The stage overrides of a manifest. */
export type ManifestStage = z.infer<typeof stageSchema>;
