import {
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import type { AwsClientFactory, AwsTarget } from '../aws/AwsClientFactory';

/** What an approval needs to know about a change set. */
export type ChangeSetSummary = {
  /** The change set's ARN. */
  id: string;
  name: string;
  stackId: string;
  stackName: string;
  /** `CREATE_COMPLETE` when it can be executed. */
  status: string;
  /** `AVAILABLE` when it can be executed. */
  executionStatus: string;
  statusReason?: string;
  creationTime: Date;
};

/** The change-set calls of reviewed approvals, with the target's credentials. */
export interface ChangeSetGateway {
  /** A change set by ARN, or by name on a stack; undefined when CloudFormation no longer has it. */
  describe(
    target: AwsTarget,
    changeSet: string,
    stackName?: string,
  ): Promise<ChangeSetSummary | undefined>;
  /** Executes a change set; `requestToken` makes repeats harmless. */
  execute(
    target: AwsTarget,
    changeSetId: string,
    requestToken: string,
  ): Promise<void>;
  /** Deletes a change set; one that is already gone is no error. */
  delete(target: AwsTarget, changeSetId: string): Promise<void>;
}

const isGone = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'ChangeSetNotFound' ||
    error.name === 'ChangeSetNotFoundException' ||
    (error.name === 'ValidationError' && /does not exist/.test(error.message)));

/** {@link ChangeSetGateway} over the AWS SDK v3 CloudFormation client. */
export class CloudFormationChangeSets implements ChangeSetGateway {
  static create(options: { clients: AwsClientFactory }) {
    return new CloudFormationChangeSets(options.clients);
  }

  private constructor(private readonly clients: AwsClientFactory) {}

  async describe(
    target: AwsTarget,
    changeSet: string,
    stackName?: string,
  ): Promise<ChangeSetSummary | undefined> {
    const client = await this.clients.cloudFormation(target);
    try {
      const out = await client.send(
        new DescribeChangeSetCommand({
          ChangeSetName: changeSet,
          StackName: stackName,
        }),
      );
      return {
        id: out.ChangeSetId ?? '',
        name: out.ChangeSetName ?? '',
        stackId: out.StackId ?? '',
        stackName: out.StackName ?? '',
        status: out.Status ?? 'UNKNOWN',
        executionStatus: out.ExecutionStatus ?? 'UNKNOWN',
        statusReason: out.StatusReason,
        creationTime: out.CreationTime ?? new Date(0),
      };
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  }

  async execute(
    target: AwsTarget,
    changeSetId: string,
    requestToken: string,
  ): Promise<void> {
    const client = await this.clients.cloudFormation(target);
    await client.send(
      new ExecuteChangeSetCommand({
        ChangeSetName: changeSetId,
        ClientRequestToken: requestToken,
      }),
    );
  }

  async delete(target: AwsTarget, changeSetId: string): Promise<void> {
    const client = await this.clients.cloudFormation(target);
    try {
      await client.send(
        new DeleteChangeSetCommand({ ChangeSetName: changeSetId }),
      );
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }
}
