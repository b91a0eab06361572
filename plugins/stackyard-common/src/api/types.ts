/**
 * Types of the stackyard-backend REST API, shared by the backend, the
 * frontend and the scaffolder actions. The REST contract itself is
 * `plugins/stackyard-backend/src/schema/openapi.yaml`.
 */

import type { WebSocketApiDefinition } from './sockets';

/** Where an environment runs: real AWS, or a local preview. */
export type TargetType = 'aws' | 'local';

/**
 * The state of an environment as Stackyard sees it.
 *
 * - `deploying`: a deploy was registered and has not finished.
 * - `ready`: the stack is in a stable, successful state.
 * - `failed`: the last operation failed or the stack is in a failed state.
 * - `deleting`: a teardown is running.
 * - `deleted`: the stack no longer exists (torn down here or elsewhere).
 */
export type EnvironmentStatus =
  | 'deploying'
  | 'ready'
  | 'failed'
  | 'deleting'
  | 'deleted';

/** The statuses a deployment can be registered with. */
export type DeploymentStatus = 'deploying' | 'ready' | 'failed';

/** One CloudWatch alarm (metric or composite) of an environment's stack. */
export type EnvironmentAlarm = {
  name: string;
  type: 'metric' | 'composite';
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason?: string;
  /** ISO 8601 time of the last state change. */
  updatedAt?: string;
};

/** An environment: one CloudFormation stack (or local preview) of an entity. */
export type Environment = {
  id: string;
  entityRef: string;
  target: string;
  targetType: TargetType;
  accountId?: string;
  region?: string;
  prefix: string;
  stage: string;
  stackName: string;
  stackId?: string;
  status: EnvironmentStatus;
  /** CloudFormation's own status, e.g. `UPDATE_ROLLBACK_COMPLETE`. */
  stackStatus?: string;
  statusReason?: string;
  outputs: Record<string, string>;
  /** Resource counts by CloudFormation resource type. */
  resources: Record<string, number>;
  alarms: EnvironmentAlarm[];
  templateName?: string;
  templateVersion?: string;
  /** Set when teardown is refused; {@link Environment.protectionReason} says why. */
  protected: boolean;
  protectionReason?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** When a preview is torn down automatically; absent for other environments. */
  expiresAt?: string;
  /** The last time the reconciler compared this environment with AWS. */
  reconciledAt?: string;
  /** The operation currently running on this environment, if any. */
  activeOperationId?: string;
};

export type OperationType = 'deploy' | 'teardown';
export type OperationState = 'pending' | 'running' | 'succeeded' | 'failed';

/** A deploy or teardown of an environment. */
export type Operation = {
  id: string;
  environmentId: string;
  type: OperationType;
  state: OperationState;
  /** Entity ref of the user, or `service:<subject>`, or `stackyard:<reason>`. */
  actor: string;
  error?: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
};

/** A CloudFormation stack event. */
export type StackEvent = {
  eventId: string;
  operationId?: string;
  timestamp: string;
  logicalResourceId?: string;
  resourceType?: string;
  resourceStatus?: string;
  statusReason?: string;
};

/**
 * One resource of an environment's stack. Resources of local previews come
 * from synthesis: they have a logical id and a type but no physical id.
 */
export type StackResource = {
  logicalId: string;
  /** CloudFormation resource type, e.g. `AWS::Lambda::Function`. */
  type: string;
  /** The resource's name or id in AWS; absent until it is deployed. */
  physicalId?: string;
  /** CloudFormation's resource status, e.g. `CREATE_COMPLETE`. */
  status?: string;
  statusReason?: string;
  /** ISO 8601 time of the resource's last update. */
  updatedAt?: string;
};

/** A resource as the deploy action records it from synthesis. */
export type SynthesizedResource = Pick<
  StackResource,
  'logicalId' | 'type' | 'physicalId'
>;

/**
 * `GET /environments/{id}/resources`: every resource of the environment's
 * stack, sorted by type and logical id.
 */
export type StackResourcesResponse = {
  items: StackResource[];
  /**
   * `cloudformation`: read from the stack; `synthesized`: recorded by the
   * deploy action (local previews, or stacks not yet read); `none`: nothing
   * known yet.
   */
  source: 'cloudformation' | 'synthesized' | 'none';
  /** ISO 8601 time the list was read or recorded. */
  fetchedAt?: string;
  /** Set when CloudFormation could not be read and an older list is served. */
  staleReason?: string;
};

/** `GET /environments` */
export type ListEnvironmentsResponse = {
  items: Environment[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
};

/** `GET /environments/{id}` */
export type EnvironmentDetails = {
  environment: Environment;
  operations: Operation[];
  recentEvents: StackEvent[];
};

/**
 * `POST /environments`: registers a deployment, or updates the environment
 * with the same target and stack name. Sent by the scaffolder's deploy action
 * and by a service's CI, with a Backstage service token. On an update, the
 * optional fields left out keep their stored values.
 */
export type RegisterDeploymentRequest = {
  entityRef: string;
  target: string;
  prefix: string;
  stage: string;
  stackName: string;
  stackId?: string;
  status: DeploymentStatus;
  statusReason?: string;
  outputs?: Record<string, string>;
  resources?: Record<string, number>;
  /**
   * The stack's resources as synthesized (logical id and type). Replaces the
   * stored list; when `resources` is left out, the counts are derived from it.
   */
  stackResources?: SynthesizedResource[];
  templateName?: string;
  templateVersion?: string;
  /** Refuse teardown of this environment even if its stage is not protected. */
  protected?: boolean;
  /** For previews: ISO 8601 time after which the environment is torn down. */
  expiresAt?: string;
  /**
   * The stack's WebSocket API, hosted by the backend for environments of
   * `local` targets. On an update, leaving it out keeps the stored one.
   */
  websocket?: WebSocketApiDefinition;
};

/** `POST /environments` (201 when created, 200 when updated) */
export type RegisterDeploymentResponse = {
  environment: Environment;
  operation: Operation;
};

/** `POST /environments/{id}/teardown` (202) */
export type TeardownResponse = {
  operation: Operation;
};

/** `POST /environments/{id}/extend` */
export type ExtendExpiryRequest = {
  /** Hours from now until the preview expires. */
  hours: number;
};
