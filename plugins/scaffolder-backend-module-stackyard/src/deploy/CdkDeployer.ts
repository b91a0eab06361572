import { NotAllowedError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ServiceManifest } from '@stackyard/cdk-guardrails';
import type { ApprovalDiff } from '@stackyard/plugin-stackyard-common';
import type { AwsTarget } from '@stackyard/plugin-stackyard-node';

/** What to deploy, and where. */
export interface ServiceDeployRequest {
  /** The service's directory (holds stackyard.yaml and function code). */
  readonly dir: string;
  /** The validated manifest. */
  readonly manifest: ServiceManifest;
  readonly prefix: string;
  readonly stage: string;
  /** The stack name, `<prefix>-<stage>`. */
  readonly stackName: string;
  readonly target: AwsTarget;
  /** Deploy even if IAM or security-group permissions broaden. */
  readonly approveBroadening: boolean;
  /**
   * Unless `approveBroadening`, stop a broadening change before execution
   * and keep its change set for an approver, instead of refusing it.
   * Default: false.
   */
  readonly holdBroadening?: boolean;
  /** The task log: stack events are streamed here. */
  readonly logger: LoggerService;
  readonly signal?: AbortSignal;
}

/** A deployed stack. */
export interface DeployedService {
  readonly stackId?: string;
  readonly outputs: Record<string, string>;
  /**
   * Set when the change was held for approval: nothing was executed; the
   * change set (by name, on the stack) waits with what it changes.
   */
  readonly awaitingApproval?: {
    readonly changeSetName: string;
    readonly diff: ApprovalDiff;
  };
}

/** Thrown when a deploy was refused because it broadens permissions. */
export class BroadeningRefusedError extends NotAllowedError {
  constructor(stackName: string) {
    super(
      `Deploy of ${stackName} refused: it broadens IAM or security-group permissions. Review the change in the task log and re-run with approveBroadening: true`,
    );
  }
}

/** Deploys services to AWS targets. */
export interface CdkDeployer {
  /**
   * Checks that credentials for the target's account are configured and
   * load; throws an `InputError` naming the account otherwise.
   */
  checkCredentials(target: AwsTarget): Promise<void>;
  /**
   * Deploys the service's stack, streaming stack events to the request's
   * logger; CloudFormation rolls back a failed deploy.
   */
  deploy(request: ServiceDeployRequest): Promise<DeployedService>;
}
