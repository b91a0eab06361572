import { z } from 'zod';
import { validatePrefix, validateStackName, validateStage } from '../naming';

const ENTITY_REF =
  /^[a-z0-9][-a-z0-9_.]*:[a-z0-9][-a-z0-9_.]*\/[a-z0-9][-a-z0-9_.]*$/i;

const checked = (validate: (value: unknown) => string[]) =>
  z.string().superRefine((value, ctx) => {
    for (const message of validate(value)) {
      ctx.addIssue({ code: 'custom', message });
    }
  });

/** Validates a full entity ref such as `component:default/orders`. */
export const entityRefSchema = z.string().max(255).regex(ENTITY_REF, {
  message: 'must be a full entity ref such as "component:default/orders"',
});

const ROUTE_KEY = /^(\$connect|\$disconnect|\$default|[^$][\s\S]{0,127})$/;

/** Validates one route's integration (hosted APIs: `lambda` or `http` only). */
export const webSocketRouteIntegrationSchema = z.discriminatedUnion(
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
          }),
        qualifier: z
          .string()
          .regex(/^(\$LATEST|[A-Za-z0-9_-]{1,128})$/, {
            message: 'must be a version or alias',
          })
          .optional(),
        endpoint: z
          .url({ protocol: /^https?$/ })
          .max(2048)
          .optional(),
        region: z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, {
            message: 'must be an AWS region such as "eu-west-1"',
          })
          .optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('http'),
        url: z.url({ protocol: /^https?$/ }).max(2048),
      })
      .strict(),
  ],
  {
    error: issue =>
      issue.code === 'invalid_union'
        ? 'integration.type must be "lambda" or "http"'
        : undefined,
  },
);

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
            response: z.boolean().optional(),
          })
          .strict(),
      )
      .refine(r => Object.keys(r).length >= 1 && Object.keys(r).length <= 300, {
        message: 'between 1 and 300 routes are allowed',
      }),
  })
  .strict();

/** Validates the body of `POST /environments/{id}/sockets/connections/{connectionId}/messages`. */
export const sendToConnectionRequestSchema = z
  .object({
    data: z.string().max(256 * 1024),
    isBase64Encoded: z.boolean().optional(),
  })
  .strict()
  .refine(v => !v.isBase64Encoded || /^[A-Za-z0-9+/]*={0,2}$/.test(v.data), {
    message: 'data must be base64 when isBase64Encoded is true',
  });

/** CloudFormation's quota of resources per stack. */
const MAX_STACK_RESOURCES = 500;

/**
 * Validates the resources a deployment records from synthesis: at most
 * {@link MAX_STACK_RESOURCES}, each with a CloudFormation logical id and
 * resource type, logical ids unique.
 */
export const stackResourcesSchema = z
  .array(
    z
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
      .strict(),
  )
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
  });

/** Validates the body of `POST /environments`. */
export const registerDeploymentRequestSchema = z
  .object({
    entityRef: entityRefSchema,
    target: z.string().regex(/^[a-z][-a-z0-9]{0,62}$/, {
      message: 'must be a configured target name such as "local"',
    }),
    prefix: checked(validatePrefix),
    stage: checked(validateStage),
    stackName: checked(validateStackName),
    stackId: z.string().min(1).max(2048).optional(),
    status: z.enum(['deploying', 'ready', 'failed']),
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
    protected: z.boolean().optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    websocket: webSocketApiDefinitionSchema.optional(),
  })
  .strict()
  // The stack name is derived, never chosen: a registration naming one
  // stack with another stage could take a protected stage's stack out of
  // protection.
  .superRefine((request, ctx) => {
    const expected = `${request.prefix}-${request.stage}`;
    if (request.stackName !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['stackName'],
        message: `stack name "${request.stackName}" must be "<prefix>-<stage>", i.e. "${expected}"`,
      });
    }
  });

/** Validates the body of `POST /environments/{id}/extend`. */
export const extendExpiryRequestSchema = z
  .object({
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
  })
  .strict();
