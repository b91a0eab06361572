/**
 * Schemas of what the stackyard-backend REST API accepts: request bodies,
 * queries and path parameters. The backend validates with them; each schema
 * with an `id` is a component of the generated OpenAPI spec.
 */
import { z } from 'zod';
import {
  MAX_PREFIX_LENGTH,
  MAX_STACK_NAME_LENGTH,
  MAX_STAGE_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  STACKYARD_TAG_KEYS,
  validatePrefix,
  validateStackName,
  validateStage,
  validateTags,
} from '../naming';
import { approvalRequestSchema } from './approvals';
import { deploymentStatusSchema, environmentStatusSchema } from './models';

const ENTITY_REF =
  /^[a-z0-9][-a-z0-9_.]*:[a-z0-9][-a-z0-9_.]*\/[a-z0-9][-a-z0-9_.]*$/i;

/** A string judged by one of the naming rules; `maxLength` documents its limit. */
const checked = (validate: (value: unknown) => string[], maxLength: number) =>
  z
    .string()
    .superRefine((value, ctx) => {
      for (const message of validate(value)) {
        ctx.addIssue({ code: 'custom', message });
      }
    })
    .meta({ maxLength });

/**
 * A git branch or commit as its stack tag carries it: a deployment records
 * what `stackyard:branch` / `stackyard:commit` say, so the same rule holds.
 */
const gitTagValue = (key: string, description: string) =>
  z
    .string()
    .min(1)
    .max(MAX_TAG_VALUE_LENGTH)
    .superRefine((value, ctx) => {
      for (const message of validateTags({ [key]: value })) {
        ctx.addIssue({ code: 'custom', message });
      }
    })
    .meta({ maxLength: MAX_TAG_VALUE_LENGTH, description });

/** Validates a full entity ref such as `component:default/orders`. */
export const entityRefSchema = z
  .string()
  .max(255)
  .regex(ENTITY_REF, {
    message: 'must be a full entity ref such as "component:default/orders"',
  })
  .meta({ example: 'component:default/orders' });

const ROUTE_KEY = /^(\$connect|\$disconnect|\$default|[^$][\s\S]{0,127})$/;

/** Validates one route's integration (hosted APIs: `lambda` or `http` only). */
export const webSocketRouteIntegrationSchema = z
  .discriminatedUnion(
    'type',
    [
      z
        .object({
          type: z.literal('lambda'),
          functionName: z
            .string()
            .min(1)
            .max(170)
            .regex(/^[A-Za-z0-9_:.\-/]+$/, {
              message: 'must be a Lambda function name, ARN or partial ARN',
            })
            .meta({ description: 'Function name, ARN or partial ARN.' }),
          qualifier: z
            .string()
            .regex(/^(\$LATEST|[A-Za-z0-9_-]{1,128})$/, {
              message: 'must be a version or alias',
            })
            .meta({ description: 'Version or alias.' })
            .optional(),
          endpoint: z
            .url({ protocol: /^https?$/ })
            .max(2048)
            .meta({
              description:
                'Invoke endpoint of a local runtime, e.g. `http://127.0.0.1:3002`.',
            })
            .optional(),
          region: z
            .string()
            .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, {
              message: 'must be an AWS region such as "eu-west-1"',
            })
            .meta({ description: 'AWS region of the function.' })
            .optional(),
        })
        .strict()
        .meta({
          description:
            'The Lambda Invoke API (real AWS Lambda, or any local Invoke-compatible endpoint given as `endpoint`).',
        }),
      z
        .object({
          type: z.literal('http'),
          url: z
            .url({ protocol: /^https?$/ })
            .max(2048)
            .meta({ description: '`http:` or `https:` URL.' }),
        })
        .strict()
        .meta({
          description:
            'The event POSTed as JSON to `url`; the response is read as a Lambda proxy result.',
        }),
      z
        .object({
          type: z.literal('preview'),
          function: z
            .string()
            .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, {
              message: 'must be a function name of the service manifest',
            })
            .meta({ description: 'The function of the service manifest.' }),
        })
        .strict()
        .meta({
          description:
            "A function of the service run by the environment's local preview (a sandboxed runner process started on first use); local targets only.",
        }),
    ],
    {
      error: issue =>
        issue.code === 'invalid_union'
          ? 'integration.type must be "lambda", "http" or "preview"'
          : undefined,
    },
  )
  .meta({
    description:
      'What handles a route of a hosted WebSocket API. Hosted APIs reach only out-of-process integrations (a preview runs in its own sandboxed process).',
  });

/** Validates the WebSocket API recorded with a deployment. */
export const webSocketApiDefinitionSchema = z
  .object({
    routeSelectionExpression: z
      .string()
      .min(1)
      .max(512)
      .refine(v => /\$\{?request\.body\./.test(v), {
        message:
          'must be $request.body.<path> or a composite such as ${request.body.service}/${request.body.action}',
      })
      .meta({
        description:
          '`$request.body.<path>` or a composite such as `${request.body.a}/${request.body.b}`.',
        default: '$request.body.action',
        example: '${request.body.service}/${request.body.action}',
      })
      .optional(),
    routes: z
      .record(
        z.string().regex(ROUTE_KEY, {
          message:
            'route keys are $connect, $disconnect, $default or 1-128 characters not starting with $',
        }),
        z
          .object({
            integration: webSocketRouteIntegrationSchema,
            response: z
              .boolean()
              .meta({
                description:
                  "Two-way route: the integration's body is sent back to the client.",
              })
              .optional(),
          })
          .strict()
          .meta({
            id: 'WebSocketRoute',
            description: 'One route of a hosted WebSocket API.',
          }),
      )
      .refine(r => Object.keys(r).length >= 1 && Object.keys(r).length <= 300, {
        message: 'between 1 and 300 routes are allowed',
      })
      .meta({
        description:
          'Route key (`$connect`, `$disconnect`, `$default` or a custom key) → route; 1-300 routes.',
      }),
  })
  .strict()
  .meta({
    id: 'WebSocketApiDefinition',
    description:
      'The WebSocket API of an environment, recorded with its deployment to a local target and hosted by the backend at `/api/stackyard/sockets/{id}/{stage}`.',
  });

/** Validates the body of `POST /environments/{id}/sockets/connections/{connectionId}/messages`. */
export const sendToConnectionRequestSchema = z
  .object({
    data: z
      .string()
      .max(256 * 1024)
      .meta({
        description:
          'The message; a text frame, or a binary frame when `isBase64Encoded`.',
      }),
    isBase64Encoded: z
      .boolean()
      .meta({ description: '`data` is base64 and is sent as a binary frame.' })
      .optional(),
  })
  .strict()
  .refine(v => !v.isBase64Encoded || /^[A-Za-z0-9+/]*={0,2}$/.test(v.data), {
    message: 'data must be base64 when isBase64Encoded is true',
  })
  .meta({ id: 'SendToConnectionRequest' });

/** CloudFormation's quota of resources per stack. */
const MAX_STACK_RESOURCES = 500;

/** Validates one resource a deployment records from synthesis. */
export const synthesizedResourceSchema = z
  .object({
    logicalId: z.string().regex(/^[A-Za-z0-9]{1,255}$/, {
      message: 'must be a CloudFormation logical id (1-255 letters/digits)',
    }),
    type: z
      .string()
      .max(256)
      .regex(/^[A-Za-z0-9]{1,64}(::[A-Za-z0-9_]{1,64}){1,3}$/, {
        message:
          'must be a CloudFormation resource type such as "AWS::SQS::Queue"',
      }),
    physicalId: z.string().min(1).max(2048).optional(),
  })
  .strict()
  .meta({
    id: 'SynthesizedResource',
    description: 'A resource as the deploy action records it from synthesis.',
  });

/**
 * Validates the resources a deployment records from synthesis: at most
 * {@link MAX_STACK_RESOURCES}, each with a CloudFormation logical id and
 * resource type, logical ids unique.
 */
export const stackResourcesSchema = z
  .array(synthesizedResourceSchema)
  .max(MAX_STACK_RESOURCES, {
    message: `at most ${MAX_STACK_RESOURCES} resources are allowed (CloudFormation's limit per stack)`,
  })
  .superRefine((resources, ctx) => {
    const seen = new Set<string>();
    for (const [index, { logicalId }] of resources.entries()) {
      if (seen.has(logicalId)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'logicalId'],
          message: `duplicate logical id "${logicalId}"`,
        });
      }
      seen.add(logicalId);
    }
  })
  .meta({
    description:
      "The stack's resources as synthesized, logical ids unique. Replaces the stored list; when `resources` is left out, the counts are derived from it.",
  });

/** Validates the body of `POST /environments`. */
export const registerDeploymentRequestSchema = z
  .object({
    entityRef: entityRefSchema,
    target: z
      .string()
      .regex(/^[a-z][-a-z0-9]{0,62}$/, {
        message: 'must be a configured target name such as "local"',
      })
      .meta({
        description: 'A configured target (stackyard.targets), e.g. local',
      }),
    prefix: checked(validatePrefix, MAX_PREFIX_LENGTH),
    stage: checked(validateStage, MAX_STAGE_LENGTH),
    stackName: checked(validateStackName, MAX_STACK_NAME_LENGTH).meta({
      maxLength: MAX_STACK_NAME_LENGTH,
      description: 'Must be `<prefix>-<stage>`.',
    }),
    stackId: z.string().min(1).max(2048).optional(),
    status: deploymentStatusSchema,
    statusReason: z.string().max(4096).optional(),
    outputs: z
      .record(z.string().max(255), z.string().max(4096))
      .refine(o => Object.keys(o).length <= 200, {
        message: 'at most 200 outputs are allowed',
      })
      .optional(),
    resources: z
      .record(z.string().max(255), z.number().int().nonnegative())
      .refine(r => Object.keys(r).length <= 500, {
        message: 'at most 500 resource types are allowed',
      })
      .optional(),
    stackResources: stackResourcesSchema.optional(),
    templateName: z.string().min(1).max(255).optional(),
    templateVersion: z.string().min(1).max(64).optional(),
    costCenter: z
      .string()
      .min(1)
      .max(256)
      .meta({
        description:
          "Who pays for the stack (the manifest's `costCenter`, its `CostCenter` tag); kept when left out.",
      })
      .optional(),
    branch: gitTagValue(
      STACKYARD_TAG_KEYS.branch,
      'The git branch deployed, e.g. `feature/wo-42-x`; kept when left out.',
    ).optional(),
    commit: gitTagValue(
      STACKYARD_TAG_KEYS.commit,
      'The git commit deployed; kept when left out.',
    ).optional(),
    protected: z
      .boolean()
      .meta({
        description:
          'Refuse teardown of this environment even if its stage is not protected.',
      })
      .optional(),
    expiresAt: z.iso
      .datetime({ offset: true })
      .meta({
        description:
          'For previews: time after which the environment is torn down.',
      })
      .optional(),
    // Documented by its component (a `.meta()` here would clone away its id).
    websocket: webSocketApiDefinitionSchema.optional(),
    // The change set kept for review; with status `awaiting-approval` only.
    approval: approvalRequestSchema.optional(),
  })
  .strict()
  // The stack name is derived, never chosen: a registration naming one
  // stack with another stage could take a protected stage's stack out of
  // protection.
  .superRefine((request, ctx) => {
    if ((request.status === 'awaiting-approval') !== !!request.approval) {
      ctx.addIssue({
        code: 'custom',
        path: ['approval'],
        message:
          'approval (the change set kept for review and its diff) is given exactly when status is "awaiting-approval"',
      });
    }
    const expected = `${request.prefix}-${request.stage}`;
    if (request.stackName !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['stackName'],
        message: `stack name "${request.stackName}" must be "<prefix>-<stage>", i.e. "${expected}"`,
      });
    }
  })
  .meta({
    id: 'RegisterDeploymentRequest',
    description:
      'A deployment: creates the environment, or updates the one with the same target and stack name (the optional fields left out keep their stored values).',
  });

/** Validates the body of `POST /environments/{id}/extend`. */
export const extendExpiryRequestSchema = z
  .object({
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .meta({ description: 'Hours from now until the preview expires.' }),
  })
  .strict()
  .meta({ id: 'ExtendExpiryRequest' });

/**
 * Ids in paths are UUIDs, matched case-insensitively: stored ids are lower
 * case, so every path (REST, `@connections`, upgrades) is normalized here.
 */
export const idSchema = z
  .uuid({ message: 'must be a UUID' })
  .transform(id => id.toLowerCase());

/** Connection ids as the emulator makes them (API Gateway shaped). */
export const connectionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9+/=_-]{1,128}$/, {
    message: 'must be 1-128 letters, digits, +, /, =, _ or -',
  });

/** `limit` of a paginated list. */
const pageLimit = z.coerce.number().int().min(1).max(500).default(50);

/** `cursor` of a paginated list. */
const pageCursor = z
  .string()
  .min(1)
  .max(512)
  .meta({ description: 'nextCursor of the previous page' })
  .optional();

/** A boolean query parameter: exactly `true` or `false`. */
const queryBoolean = (description: string) =>
  z
    .enum(['true', 'false'], { message: 'must be "true" or "false"' })
    .transform(value => value === 'true')
    .meta({ description })
    .optional();

/** Query of `GET /environments`. */
export const listEnvironmentsQuerySchema = z
  .object({
    entityRef: z
      .string()
      .min(1)
      .max(255)
      .meta({
        description:
          'Entity ref, e.g. component:default/orders (case-insensitive)',
      })
      .optional(),
    status: environmentStatusSchema.optional(),
    target: z.string().min(1).max(63).optional(),
    stage: z.string().min(1).max(32).optional(),
    templateName: z.string().min(1).max(255).optional(),
    costCenter: z.string().min(1).max(255).optional(),
    expiringWithinHours: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .meta({
        description:
          'Only environments that expire within this many hours from now.',
      })
      .optional(),
    entityMissing: queryBoolean(
      '`true`: only environments whose entity is missing from the catalog; `false`: only the others.',
    ),
    drifted: queryBoolean(
      '`true`: only environments whose last drift check found drift; `false`: only the others.',
    ),
    limit: pageLimit,
    cursor: pageCursor,
  })
  .strict();

/** Query of `GET /orphans`. */
export const listOrphansQuerySchema = z
  .object({
    target: z.string().min(1).max(63).optional(),
    limit: pageLimit,
    cursor: pageCursor,
  })
  .strict();

/** Query of `GET /environments/{id}/sockets`. */
export const inspectSocketsQuerySchema = z
  .object({
    frames: z.coerce
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(100)
      .meta({ description: 'Most recent frames to return' }),
  })
  .strict();
