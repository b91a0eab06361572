import { z } from 'zod';

const response = z.boolean().optional();

/** One route of the CLI config: exactly one of `module`, `http`, `lambda`. */
export const routeConfigSchema = z.union([
  z
    .object({
      module: z
        .string()
        .regex(
          /^[^#]+#[A-Za-z_$][\w$]*$/,
          'module must look like "<path>#<export>"',
        ),
      // Run the handler in this many worker threads instead of the
      // emulator's own event loop.
      workers: z.number().int().min(1).max(64).optional(),
      response,
    })
    .strict(),
  z
    .object({
      http: z.url({
        protocol: /^https?$/,
        error: 'http must be an http(s) URL',
      }),
      headers: z.record(z.string(), z.string()).optional(),
      response,
    })
    .strict(),
  z
    .object({
      lambda: z.string().min(1, 'lambda must name a function'),
      qualifier: z.string().min(1).optional(),
      response,
    })
    .strict(),
]);

const positiveInt = z.number().int().positive();

/** The CLI config file (YAML or JSON). */
export const cliConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(3001),
    stage: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]{1,128}$/,
        'stage must be 1-128 letters, digits, _ or -',
      )
      .default('local'),
    apiId: z.string().min(1).optional(),
    domainName: z.string().min(1).optional(),
    routeSelectionExpression: z.string().min(1).default('$request.body.action'),
    logFrames: z.boolean().default(false),
    limits: z
      .object({
        maxMessageBytes: positiveInt,
        maxFrameBytes: positiveInt,
        idleTimeoutMs: positiveInt,
        maxConnectionDurationMs: positiveInt,
        integrationTimeoutMs: positiveInt,
        connectionsPerSecond: positiveInt,
        maxBufferedBytes: positiveInt,
        maxQueuedMessages: positiveInt,
        sweepIntervalMs: positiveInt,
      })
      .partial()
      .strict()
      .optional(),
    channels: z
      .object({
        enabled: z.boolean(),
        maxChannelsPerConnection: positiveInt.optional(),
      })
      .strict()
      .optional(),
    lambda: z
      .object({
        endpoint: z.url().optional(),
        region: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    routes: z.record(z.string(), routeConfigSchema),
  })
  .strict();

/** A validated CLI config. */
export type CliConfig = z.infer<typeof cliConfigSchema>;
/** A validated route of the CLI config. */
export type RouteConfig = z.infer<typeof routeConfigSchema>;

/**
 * The emulator's own settings: a CLI config without its API (routes,
 * route selection, Lambda endpoint). A service manifest's
 * `websocket.emulator` section has this shape.
 */
export const emulatorSettingsSchema = cliConfigSchema.omit({
  routes: true,
  routeSelectionExpression: true,
  lambda: true,
});

/** Validated emulator settings, with the API's route selection expression. */
export type EmulatorSettings = z.infer<typeof emulatorSettingsSchema> & {
  routeSelectionExpression: string;
};
