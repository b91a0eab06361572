import type {
  DeploymentStatus,
  Environment,
  EnvironmentAlarm,
  EnvironmentStatus,
  Operation,
  OperationState,
  RegisterDeploymentRequest,
  StackEvent,
  StackResource,
} from '@stackyard/plugin-stackyard-common';
import type { Target } from '@stackyard/plugin-stackyard-node';

/** Filters and paging of {@link EnvironmentStore.listEnvironments}. */
export type EnvironmentFilter = {
  entityRef?: string;
  status?: EnvironmentStatus;
  target?: string;
  stage?: string;
  templateName?: string;
  costCenter?: string;
  /** Only environments expiring within this many hours from now. */
  expiringWithinHours?: number;
  /** `true`: only those whose entity is missing from the catalog; `false`: the others. */
  entityMissing?: boolean;
  /** `true`: only those whose last drift check found drift; `false`: the others. */
  drifted?: boolean;
  limit: number;
  cursor?: string;
};

/** What the reconciler learned about one environment from AWS. */
export type ObservedEnvironment = {
  id: string;
  status: EnvironmentStatus;
  stackStatus?: string;
  statusReason?: string;
  stackId?: string;
  outputs?: Record<string, string>;
  terminationProtection?: boolean;
  /** The stack's `CostCenter` tag, when it has one. */
  costCenter?: string;
  alarms: EnvironmentAlarm[];
};

/** A stored resource list of an environment's stack. */
export type StoredStackResources = {
  source: 'cloudformation' | 'synthesized';
  items: StackResource[];
  fetchedAt: Date;
};

/** The outcome of registering a deployment. */
export type RegisteredDeployment = {
  environment: Environment;
  operation: Operation;
  created: boolean;
};

/** The outcome of asking for a teardown. */
export type TeardownClaim =
  | { kind: 'claimed'; environment: Environment; operation: Operation }
  | { kind: 'running'; environment: Environment; operation: Operation }
  | { kind: 'busy'; environment: Environment; operation: Operation }
  | { kind: 'gone'; environment: Environment };

/** Stackyard's environment state. */
export interface EnvironmentStore {
  registerDeployment(options: {
    /** `branch`/`commit`/`costCenter` are kept when a registration leaves them out. */
    request: RegisterDeploymentRequest & {
      status: DeploymentStatus;
      branch?: string;
      commit?: string;
    };
    target: Target;
    actor: string;
  }): Promise<RegisteredDeployment>;

  getEnvironment(id: string): Promise<Environment | undefined>;

  listEnvironments(
    filter: EnvironmentFilter,
  ): Promise<{ items: Environment[]; nextCursor?: string }>;

  /** Environments the reconciler compares with AWS (not deleted, aws targets). */
  listTrackedAwsEnvironments(): Promise<Environment[]>;

  /** The entity refs of environments not deleted, each once. */
  listEntityRefsInUse(): Promise<string[]>;

  /**
   * Records which entities the catalog lacks, on environments not deleted:
   * those of `missing` entities get `entityMissingSince` = `since` unless
   * already set; the others have it cleared. Returns the environments that
   * changed.
   */
  markMissingEntities(missing: string[], since: Date): Promise<Environment[]>;

  /** Non-protected, not deleted environments whose expiry has passed. */
  listExpired(now: Date): Promise<Environment[]>;

  extendExpiry(id: string, expiresAt: Date): Promise<Environment>;

  /**
   * Starts a teardown unless one runs already; at most one caller, across
   * all replicas, gets `claimed` for the same environment.
   */
  claimTeardown(options: {
    environmentId: string;
    operationId: string;
    actor: string;
  }): Promise<TeardownClaim>;

  /** Moves an operation on; finishing it also sets its environment's status. */
  updateOperation(
    id: string,
    update: {
      state: OperationState;
      error?: string;
      environmentStatus?: EnvironmentStatus;
      statusReason?: string;
    },
  ): Promise<Operation>;

  getOperation(id: string): Promise<Operation | undefined>;

  listOperations(environmentId: string, limit: number): Promise<Operation[]>;

  /** Operations not finished and last updated before `before`. */
  listUnfinishedOperations(before: Date): Promise<Operation[]>;

  /** Applies what the reconciler observed; returns the environments that changed. */
  applyObservations(
    observations: ObservedEnvironment[],
    reconciledAt: Date,
  ): Promise<Environment[]>;

  /** Stores stack events (duplicates ignored), keeping the newest per environment. */
  addEvents(
    environmentId: string,
    operationId: string | undefined,
    events: StackEvent[],
  ): Promise<void>;

  listEvents(environmentId: string, limit: number): Promise<StackEvent[]>;

  /** The stored resource list of an environment's stack, if any. */
  getStackResources(
    environmentId: string,
  ): Promise<StoredStackResources | undefined>;

  /** Replaces the stored resource list of an environment's stack. */
  putStackResources(
    environmentId: string,
    resources: StoredStackResources,
  ): Promise<void>;
}
