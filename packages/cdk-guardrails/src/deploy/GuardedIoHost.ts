import type {
  IIoHost,
  IoMessage,
  IoRequest,
  StackActivity,
} from '@aws-cdk/toolkit-lib';
import type { ApprovalDiff } from '@stackyard/plugin-stackyard-common';
import { PermissionTemplateDiff, approvalDiffOf } from './approvalDiff';

/**
 * Where a deploy's progress goes: a Backstage task logger, or the CLI's
 * stderr. Any object with these three methods will do.
 */
export interface DeployLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Toolkit message code of a CloudFormation stack event. */
export const STACK_ACTIVITY_CODE = 'CDK_TOOLKIT_I5502';
/** Toolkit request code asking to confirm a deploy (with its permission changes). */
export const DEPLOY_CONFIRMATION_CODE = 'CDK_TOOLKIT_I5060';
/** Toolkit request code asking to confirm a destroy. */
export const DESTROY_CONFIRMATION_CODE = 'CDK_TOOLKIT_I7010';

/** Formats one CloudFormation stack event as one log line. */
export function formatStackActivity(activity: StackActivity): string {
  const e = activity.event;
  const reason = e.ResourceStatusReason ? ` — ${e.ResourceStatusReason}` : '';
  return `${e.StackName ?? ''} ${e.ResourceStatus ?? ''} ${
    e.ResourceType ?? ''
  } ${e.LogicalResourceId ?? ''}${reason}`.trim();
}

/** Options of {@link GuardedIoHost}. */
export interface GuardedIoHostOptions {
  /** Confirm deploys that broaden IAM or security-group permissions. */
  readonly approveBroadening: boolean;
  /**
   * How the person deploying approves broadening, said when it is refused.
   * @default 're-run with broadening approved'
   */
  readonly approvalHint?: string;
  /** Confirm destroys. @default false */
  readonly approveDestroy?: boolean;
  /**
   * Unless approved, stop a broadening deploy before execution and keep its
   * change set for a reviewer, instead of refusing it (which deletes the
   * change set). Default: false.
   */
  readonly holdBroadening?: boolean;
}

/**
 * Thrown from the deploy confirmation to stop a broadening deploy before
 * execution: toolkit-lib deletes the change set only when the answer is
 * "no", so leaving the question unanswered keeps it.
 */
export class HeldForApproval extends Error {
  constructor(readonly diff: ApprovalDiff) {
    super('The deploy waits for approval of its broadening change set');
    this.name = 'HeldForApproval';
  }
}

/**
 * The toolkit IO host of one deploy, the same for the scaffolder and the
 * CLI: streams stack events and the toolkit's own info, warnings and errors
 * to a {@link DeployLog}, confirms deploys unless they broaden IAM or
 * security-group permissions without approval (refused, or held for a
 * reviewer with the diff), and confirms destroys only when told to. Any other question gets the toolkit's default answer.
 */
export class GuardedIoHost implements IIoHost {
  /** Set when a deploy was refused because it broadens permissions. */
  refusedBroadening = false;
  /** Set when a broadening deploy was held for approval: what it changes. */
  held?: ApprovalDiff;
  /** Error messages the toolkit reported. */
  readonly errors: string[] = [];

  constructor(
    private readonly logger: DeployLog,
    private readonly options: GuardedIoHostOptions,
  ) {}

  /** How broadening is approved, for messages. */
  get approvalHint(): string {
    return this.options.approvalHint ?? 're-run with broadening approved';
  }

  async notify(msg: IoMessage<unknown>): Promise<void> {
    if (msg.code === STACK_ACTIVITY_CODE && msg.data) {
      const line = formatStackActivity(msg.data as StackActivity);
      if (/FAILED/.test(line)) {
        this.logger.error(line);
      } else {
        this.logger.info(line);
      }
      return;
    }
    switch (msg.level) {
      case 'error':
        this.errors.push(msg.message);
        this.logger.error(msg.message);
        break;
      case 'warn':
        this.logger.warn(msg.message);
        break;
      case 'info':
      case 'result':
        this.logger.info(msg.message);
        break;
      default:
        break;
    }
  }

  async requestResponse<T>(msg: IoRequest<unknown, T>): Promise<T> {
    if (msg.code === DEPLOY_CONFIRMATION_CODE) {
      const change = (msg.data as { permissionChangeType?: string } | undefined)
        ?.permissionChangeType;
      if (
        change === 'broadening' &&
        !this.options.approveBroadening &&
        this.options.holdBroadening
      ) {
        const { templateDiffs } = msg.data as {
          templateDiffs?: Record<string, PermissionTemplateDiff>;
        };
        this.held = approvalDiffOf(templateDiffs ?? {});
        this.logger.warn(
          `${msg.message}\nHeld for approval: the change broadens IAM or security-group permissions; its change set is kept, not executed`,
        );
        throw new HeldForApproval(this.held);
      }
      if (change === 'broadening' && !this.options.approveBroadening) {
        this.refusedBroadening = true;
        this.logger.error(
          `${msg.message}\nRefused: the change broadens IAM or security-group permissions; review it, then ${this.approvalHint}`,
        );
        return false as T;
      }
      if (change === 'broadening') {
        this.logger.warn(
          `${msg.message}\nApproved: the change broadens IAM or security-group permissions (broadening approved)`,
        );
      }
      return true as T;
    }
    if (msg.code === DESTROY_CONFIRMATION_CODE) {
      return (this.options.approveDestroy ?? false) as T;
    }
    return msg.defaultResponse;
  }
}
