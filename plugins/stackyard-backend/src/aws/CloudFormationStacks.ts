import {
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  Stack,
  paginateDescribeStacks,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import type {
  StackEvent,
  StackResource,
} from '@stackyard/plugin-stackyard-common';
import { AwsClientFactory, AwsTarget } from './AwsClientFactory';

/** What Stackyard needs to know about a CloudFormation stack. */
export type StackSummary = {
  stackName: string;
  stackId: string;
  stackStatus: string;
  statusReason?: string;
  outputs: Record<string, string>;
  terminationProtection: boolean;
  /** The stack's tags (DescribeStacks returns them at no extra cost). */
  tags: Record<string, string>;
  creationTime?: Date;
  /** When the stack's last update started; unset for a stack never updated. */
  lastUpdatedTime?: Date;
};

/** CloudFormation operations Stackyard uses. */
export interface StackGateway {
  /** Every live stack of the target's account and region, all pages. */
  listStacks(target: AwsTarget): Promise<StackSummary[]>;
  /** One stack by name or id; undefined when it does not exist. */
  describeStack(
    target: AwsTarget,
    stackNameOrId: string,
  ): Promise<StackSummary | undefined>;
  /** The stack's events newer than `since`, newest first. */
  listStackEvents(
    target: AwsTarget,
    stackNameOrId: string,
    since: Date,
  ): Promise<StackEvent[]>;
  /**
   * Every resource of a stack, all pages (ListStackResources); undefined
   * when the stack does not exist.
   */
  listStackResources(
    target: AwsTarget,
    stackNameOrId: string,
  ): Promise<StackResource[] | undefined>;
  /** Starts deleting a stack; `requestToken` makes repeats harmless. */
  deleteStack(
    target: AwsTarget,
    stackNameOrId: string,
    requestToken: string,
  ): Promise<void>;
}

const toSummary = (stack: Stack): StackSummary => ({
  stackName: stack.StackName ?? '',
  stackId: stack.StackId ?? '',
  stackStatus: stack.StackStatus ?? 'UNKNOWN',
  statusReason: stack.StackStatusReason,
  outputs: Object.fromEntries(
    (stack.Outputs ?? [])
      .filter(o => o.OutputKey)
      .map(o => [o.OutputKey!, o.OutputValue ?? '']),
  ),
  terminationProtection: stack.EnableTerminationProtection ?? false,
  tags: Object.fromEntries(
    (stack.Tags ?? []).filter(t => t.Key).map(t => [t.Key!, t.Value ?? '']),
  ),
  creationTime: stack.CreationTime,
  lastUpdatedTime: stack.LastUpdatedTime,
});

const isMissingStack = (error: unknown) =>
  error instanceof Error &&
  error.name === 'ValidationError' &&
  /does not exist/.test(error.message);

/** {@link StackGateway} over the AWS SDK v3 CloudFormation client. */
export class CloudFormationStacks implements StackGateway {
  static create(options: { clients: AwsClientFactory }): CloudFormationStacks {
    return new CloudFormationStacks(options.clients);
  }

  private constructor(private readonly clients: AwsClientFactory) {}

  async listStacks(target: AwsTarget): Promise<StackSummary[]> {
    const client = await this.clients.cloudFormation(target);
    const stacks: StackSummary[] = [];
    for await (const page of paginateDescribeStacks({ client }, {})) {
      stacks.push(...(page.Stacks ?? []).map(toSummary));
    }
    return stacks;
  }

  async describeStack(
    target: AwsTarget,
    stackNameOrId: string,
  ): Promise<StackSummary | undefined> {
    const client = await this.clients.cloudFormation(target);
    try {
      const out = await client.send(
        new DescribeStacksCommand({ StackName: stackNameOrId }),
      );
      const stack = out.Stacks?.[0];
      return stack ? toSummary(stack) : undefined;
    } catch (error) {
      if (isMissingStack(error)) return undefined;
      throw error;
    }
  }

  async listStackEvents(
    target: AwsTarget,
    stackNameOrId: string,
    since: Date,
  ): Promise<StackEvent[]> {
    const client = await this.clients.cloudFormation(target);
    const events: StackEvent[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await client.send(
          new DescribeStackEventsCommand({
            StackName: stackNameOrId,
            NextToken: nextToken,
          }),
        );
        for (const e of page.StackEvents ?? []) {
          if (!e.Timestamp || e.Timestamp < since) return events;
          events.push({
            eventId: e.EventId ?? `${e.LogicalResourceId}-${e.Timestamp}`,
            timestamp: e.Timestamp.toISOString(),
            logicalResourceId: e.LogicalResourceId,
            resourceType: e.ResourceType,
            resourceStatus: e.ResourceStatus,
            statusReason: e.ResourceStatusReason,
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      if (isMissingStack(error)) return events;
      throw error;
    }
    return events;
  }

  async listStackResources(
    target: AwsTarget,
    stackNameOrId: string,
  ): Promise<StackResource[] | undefined> {
    const client = await this.clients.cloudFormation(target);
    const resources: StackResource[] = [];
    try {
      for await (const page of paginateListStackResources(
        { client },
        { StackName: stackNameOrId },
      )) {
        for (const r of page.StackResourceSummaries ?? []) {
          resources.push({
            logicalId: r.LogicalResourceId ?? '',
            type: r.ResourceType ?? 'unknown',
            physicalId: r.PhysicalResourceId || undefined,
            status: r.ResourceStatus,
            statusReason: r.ResourceStatusReason,
            updatedAt: r.LastUpdatedTimestamp?.toISOString(),
          });
        }
      }
    } catch (error) {
      if (isMissingStack(error)) return undefined;
      throw error;
    }
    return resources;
  }

  async deleteStack(
    target: AwsTarget,
    stackNameOrId: string,
    requestToken: string,
  ): Promise<void> {
    const client = await this.clients.cloudFormation(target);
    await client.send(
      new DeleteStackCommand({
        StackName: stackNameOrId,
        ClientRequestToken: requestToken,
      }),
    );
  }
}
