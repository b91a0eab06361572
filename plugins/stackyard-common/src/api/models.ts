/**
 * Schemas of what the stackyard-backend REST API answers. Each schema with an
 * `id` is a component of the generated OpenAPI spec; `types.ts` infers the
 * TypeScript types from them.
 */
import { z } from 'zod';
import { environmentDriftSchema } from './drift';

const timestamp = (description?: string) =>
  z.iso.datetime({ offset: true }).meta(description ? { description } : {});

/** Where an environment runs: real AWS, or a local preview. */
export const targetTypeSchema = z.enum(['aws', 'local']).meta({
  description: 'Where an environment runs: real AWS, or a local preview.',
});

export const environmentStatusSchema = z
  .enum([
    'deploying',
    'awaiting-approval',
    'ready',
    'failed',
    'deleting',
    'deleted',
  ])
  .meta({
    id: 'EnvironmentStatus',
    description:
      "The state of an environment as Stackyard sees it. `deploying`: a deploy was registered and has not finished; `awaiting-approval`: the deploy's change set broadens IAM or security-group permissions and waits, unexecuted, for an approver (`GET /environments/{id}/approval`); `ready`: the stack is in a stable, successful state; `failed`: the last operation failed or the stack is in a failed state; `deleting`: a teardown is running; `deleted`: the stack no longer exists (torn down here or elsewhere).",
  });

/** The statuses a deployment can be registered with. */
export const deploymentStatusSchema = z.enum([
  'deploying',
  'awaiting-approval',
  'ready',
  'failed',
]);

export const environmentAlarmSchema = z
  .object({
    name: z.string(),
    type: z.enum(['metric', 'composite']),
    state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
    reason: z.string().optional(),
    updatedAt: timestamp('Time of the last state change.').optional(),
  })
  .meta({
    id: 'Alarm',
    description:
      "One CloudWatch alarm (metric or composite) of an environment's stack.",
  });

/**
 * The `createdBy` of environments the reconciler found in AWS: deployed
 * outside the portal (a service's CI, a laptop) and adopted by their tags.
 */
export const DISCOVERY_ACTOR = 'stackyard:discovery';

export const environmentSchema = z
  .object({
    id: z.uuid(),
    entityRef: z.string(),
    target: z.string(),
    targetType: targetTypeSchema,
    accountId: z.string().optional(),
    region: z.string().optional(),
    prefix: z.string(),
    stage: z.string(),
    stackName: z.string(),
    stackId: z.string().optional(),
    status: environmentStatusSchema,
    stackStatus: z
      .string()
      .meta({
        description:
          "CloudFormation's own status, e.g. `UPDATE_ROLLBACK_COMPLETE`.",
      })
      .optional(),
    statusReason: z.string().optional(),
    outputs: z.record(z.string(), z.string()),
    resources: z.record(z.string(), z.number().int()).meta({
      description: 'Resource counts by CloudFormation resource type.',
    }),
    alarms: z.array(environmentAlarmSchema),
    templateName: z.string().optional(),
    templateVersion: z.string().optional(),
    branch: z
      .string()
      .meta({ description: 'The git branch deployed, e.g. `feature/wo-42-x`.' })
      .optional(),
    commit: z
      .string()
      .meta({ description: 'The git commit deployed.' })
      .optional(),
    protected: z.boolean().meta({
      description: 'Set when teardown is refused; `protectionReason` says why.',
    }),
    protectionReason: z.string().optional(),
    costCenter: z
      .string()
      .meta({
        description:
          "Who pays for the stack: its `CostCenter` tag, or the deployment's registration.",
      })
      .optional(),
    entityMissingSince: timestamp(
      'Set while the catalog has no entity `entityRef` names (deleted, renamed, never registered): since when the reconciler found it missing. Cleared when the entity returns; nothing is deleted automatically.',
    ).optional(),
    drift: environmentDriftSchema.optional(),
    createdBy: z.string(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
    expiresAt: timestamp(
      'When a preview is torn down automatically; absent for other environments.',
    ).optional(),
    reconciledAt: timestamp(
      'The last time the reconciler compared this environment with AWS.',
    ).optional(),
    activeOperationId: z
      .string()
      .meta({
        description:
          'The operation currently running on this environment, if any.',
      })
      .optional(),
  })
  .meta({
    id: 'Environment',
    description:
      'An environment: one CloudFormation stack (or local preview) of an entity.',
  });

/** `approved-deploy`: the backend executing a change set an approver approved. */
export const operationTypeSchema = z.enum([
  'deploy',
  'approved-deploy',
  'teardown',
]);
export const operationStateSchema = z.enum([
  'pending',
  'running',
  'succeeded',
  'failed',
]);

export const operationSchema = z
  .object({
    id: z.string(),
    environmentId: z.uuid(),
    type: operationTypeSchema,
    state: operationStateSchema,
    actor: z.string().meta({
      description:
        'Entity ref of the user, or `service:<subject>`, or `stackyard:<reason>`.',
    }),
    error: z.string().optional(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
    finishedAt: timestamp().optional(),
  })
  .meta({
    id: 'Operation',
    description: 'A deploy or teardown of an environment.',
  });

export const stackEventSchema = z
  .object({
    eventId: z.string(),
    operationId: z.string().optional(),
    timestamp: timestamp(),
    logicalResourceId: z.string().optional(),
    resourceType: z.string().optional(),
    resourceStatus: z.string().optional(),
    statusReason: z.string().optional(),
  })
  .meta({ id: 'StackEvent', description: 'A CloudFormation stack event.' });

export const stackResourceSchema = z
  .object({
    logicalId: z.string(),
    type: z.string().meta({
      description: 'CloudFormation resource type.',
      example: 'AWS::SQS::Queue',
    }),
    physicalId: z
      .string()
      .meta({
        description:
          "The resource's name or id in AWS; absent until it is deployed.",
      })
      .optional(),
    status: z
      .string()
      .meta({
        description: "CloudFormation's resource status.",
        example: 'CREATE_COMPLETE',
      })
      .optional(),
    statusReason: z.string().optional(),
    updatedAt: timestamp("Time of the resource's last update.").optional(),
  })
  .meta({
    id: 'StackResource',
    description:
      "One resource of an environment's stack. Resources of local previews come from synthesis: they have a logical id and a type but no physical id.",
  });

export const stackResourcesResponseSchema = z
  .object({
    items: z.array(stackResourceSchema),
    source: z.enum(['cloudformation', 'synthesized', 'none']).meta({
      description:
        '`cloudformation`: read from the stack; `synthesized`: recorded by the deploy action (local previews, or stacks not yet read); `none`: nothing known yet.',
    }),
    fetchedAt: timestamp('Time the list was read or recorded.').optional(),
    staleReason: z
      .string()
      .meta({
        description:
          'Set when CloudFormation could not be read and an older list is served.',
      })
      .optional(),
  })
  .meta({
    id: 'StackResourcesResponse',
    description:
      "Every resource of the environment's stack, sorted by type and logical id.",
  });

export const listEnvironmentsResponseSchema = z
  .object({
    items: z.array(environmentSchema),
    nextCursor: z
      .string()
      .meta({
        description:
          'Pass as `cursor` to get the next page; absent on the last page.',
      })
      .optional(),
  })
  .meta({ id: 'ListEnvironmentsResponse' });

export const orphanKindSchema = z
  .enum(['missing-entity', 'unreadable-tags'])
  .meta({
    description:
      "`missing-entity`: the stack's `stackyard:entity-ref` names no catalog entity; `unreadable-tags`: its Stackyard tags do not parse or do not match its name, so it cannot be adopted.",
  });

export const orphanSchema = z
  .object({
    id: z.uuid(),
    kind: orphanKindSchema,
    target: z.string(),
    accountId: z.string().optional(),
    region: z.string().optional(),
    stackName: z.string(),
    stackId: z.string().optional(),
    stackStatus: z
      .string()
      .meta({ description: "CloudFormation's own status." })
      .optional(),
    reason: z
      .string()
      .meta({ description: 'Why the stack is an orphan, in words.' }),
    entityRef: z
      .string()
      .meta({ description: "The entity the stack's tag names, when readable." })
      .optional(),
    environmentId: z
      .uuid()
      .meta({
        description:
          'The environment tracking the stack (`missing-entity` orphans).',
      })
      .optional(),
    protected: z.boolean().meta({
      description: 'Set when teardown is refused; `protectionReason` says why.',
    }),
    protectionReason: z.string().optional(),
    firstSeenAt: timestamp('When the reconciler first listed the stack.'),
  })
  .meta({
    id: 'Orphan',
    description:
      'A stack with Stackyard tags that no catalog entity owns: its entity is gone from the catalog, or its tags cannot be read.',
  });

export const listOrphansResponseSchema = z
  .object({
    items: z.array(orphanSchema),
    nextCursor: z
      .string()
      .meta({
        description:
          'Pass as `cursor` to get the next page; absent on the last page.',
      })
      .optional(),
  })
  .meta({ id: 'ListOrphansResponse' });

export const environmentDetailsSchema = z
  .object({
    environment: environmentSchema,
    operations: z.array(operationSchema),
    recentEvents: z.array(stackEventSchema),
  })
  .meta({ id: 'EnvironmentDetails' });

export const registerDeploymentResponseSchema = z
  .object({ environment: environmentSchema, operation: operationSchema })
  .meta({ id: 'RegisterDeploymentResponse' });

export const teardownResponseSchema = z
  .object({ operation: operationSchema })
  .meta({ id: 'TeardownResponse' });

export const previewSocketConnectionSchema = z
  .object({
    connectionId: z.string(),
    connectedAt: timestamp(),
    lastActiveAt: timestamp(
      'Present for connections held by the answering replica.',
    ).optional(),
    sourceIp: z.string().optional(),
    userAgent: z.string().optional(),
    subprotocol: z
      .string()
      .meta({ description: 'The subprotocol `$connect` selected, if any.' })
      .optional(),
    bufferedBytes: z
      .number()
      .int()
      .nonnegative()
      .meta({
        description:
          'Bytes waiting in the send buffer (connections of the answering replica).',
      })
      .optional(),
    droppedFrames: z
      .number()
      .int()
      .nonnegative()
      .meta({ description: 'Frames dropped because the send buffer was full.' })
      .optional(),
  })
  .meta({
    id: 'PreviewSocketConnection',
    description:
      'A connection of a hosted WebSocket API, as the inspector lists it.',
  });

export const previewSocketFrameSchema = z
  .object({
    at: timestamp(),
    connectionId: z.string(),
    direction: z
      .enum(['in', 'out'])
      .meta({ description: '`in`: from the client; `out`: to the client.' }),
    isBinary: z.boolean(),
    size: z
      .number()
      .int()
      .nonnegative()
      .meta({ description: 'Payload size in bytes.' }),
    preview: z.string().meta({
      description:
        'The start of the payload (text, or base64 for binary frames).',
    }),
    routeKey: z
      .string()
      .meta({
        description:
          'Inbound frames: the route the frame went to (`none` when Forbidden).',
      })
      .optional(),
  })
  .meta({
    id: 'PreviewSocketFrame',
    description: 'A frame seen by a hosted WebSocket API.',
  });

export const previewSocketInspectionSchema = z
  .object({
    path: z.string().meta({
      description:
        "Path of the WebSocket API under the backend's base URL, e.g. `/api/stackyard/sockets/<id>/dev`.",
    }),
    connectionsPath: z
      .string()
      .meta({ description: 'Path of its `@connections` management API.' }),
    stage: z.string(),
    routeSelectionExpression: z.string(),
    routes: z
      .record(
        z.string(),
        z.object({
          type: z.enum(['lambda', 'http', 'preview']),
          response: z.boolean(),
        }),
      )
      .meta({
        description:
          'Route key → integration type and whether the route is two-way.',
      }),
    connections: z
      .array(previewSocketConnectionSchema)
      .meta({ description: 'Open connections on every replica.' }),
    recentFrames: z.array(previewSocketFrameSchema).meta({
      description:
        'Recent frames seen by the answering replica (a bounded ring buffer), oldest first.',
    }),
  })
  .meta({ id: 'PreviewSocketInspection' });

export const connectionKeyResponseSchema = z
  .object({
    key: z.string().meta({
      description:
        "A new connection key (the previous one stops working). Shown once; only its hash is stored. Present it on upgrades as the `x-stackyard-connection-key` header or the `stackyard-key.<key>` subprotocol, and to `@connections` as that header or as the access key id of the SDK's credentials.",
    }),
  })
  .meta({ id: 'ConnectionKeyResponse' });

/** Backstage's error body (`ErrorResponseBody` of `@backstage/errors`). */
export const errorResponseBodySchema = z
  .object({
    error: z.looseObject({ name: z.string(), message: z.string() }),
    request: z.object({ method: z.string(), url: z.string() }).optional(),
    response: z.object({ statusCode: z.number().int() }).optional(),
  })
  .meta({ id: 'Error', description: "Backstage's error body." });
