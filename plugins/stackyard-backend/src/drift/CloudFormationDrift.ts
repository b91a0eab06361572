import {
  DescribeStackDriftDetectionStatusCommand,
  DetectStackDriftCommand,
  paginateDescribeStackResourceDrifts,
} from '@aws-sdk/client-cloudformation';
import type { ResourceDrift } from '@stackyard/plugin-stackyard-common';
import type { AwsClientFactory, AwsTarget } from '../aws/AwsClientFactory';

/** Where a drift detection stands, as DescribeStackDriftDetectionStatus says. */
export type DetectionStatus =
  | { state: 'running' }
  | { state: 'complete'; drifted: boolean; driftedResources: number }
  | { state: 'failed'; reason: string };

/** CloudFormation's drift detection calls Stackyard makes. */
export interface DriftGateway {
  /** Starts DetectStackDrift; returns the detection id. */
  startDetection(target: AwsTarget, stackNameOrId: string): Promise<string>;
  detectionStatus(
    target: AwsTarget,
    detectionId: string,
  ): Promise<DetectionStatus>;
  /** Every resource of the stack's last detection, all pages. */
  resourceDrifts(
    target: AwsTarget,
    stackNameOrId: string,
  ): Promise<ResourceDrift[]>;
}

const RESOURCE_STATUSES = new Set([
  'IN_SYNC',
  'MODIFIED',
  'DELETED',
  'NOT_CHECKED',
]);

/** {@link DriftGateway} over the AWS SDK v3 CloudFormation client. */
export class CloudFormationDrift implements DriftGateway {
  static create(options: { clients: AwsClientFactory }): CloudFormationDrift {
    return new CloudFormationDrift(options.clients);
  }

  private constructor(private readonly clients: AwsClientFactory) {}

  async startDetection(
    target: AwsTarget,
    stackNameOrId: string,
  ): Promise<string> {
    const client = await this.clients.cloudFormation(target);
    const out = await client.send(
      new DetectStackDriftCommand({ StackName: stackNameOrId }),
    );
    if (!out.StackDriftDetectionId) {
      throw new Error('DetectStackDrift answered without a detection id');
    }
    return out.StackDriftDetectionId;
  }

  async detectionStatus(
    target: AwsTarget,
    detectionId: string,
  ): Promise<DetectionStatus> {
    const client = await this.clients.cloudFormation(target);
    const out = await client.send(
      new DescribeStackDriftDetectionStatusCommand({
        StackDriftDetectionId: detectionId,
      }),
    );
    switch (out.DetectionStatus) {
      case 'DETECTION_IN_PROGRESS':
        return { state: 'running' };
      case 'DETECTION_COMPLETE':
        return {
          state: 'complete',
          drifted: out.StackDriftStatus === 'DRIFTED',
          driftedResources: out.DriftedStackResourceCount ?? 0,
        };
      default:
        return {
          state: 'failed',
          reason:
            out.DetectionStatusReason ??
            `drift detection ended as ${out.DetectionStatus ?? 'unknown'}`,
        };
    }
  }

  async resourceDrifts(
    target: AwsTarget,
    stackNameOrId: string,
  ): Promise<ResourceDrift[]> {
    const client = await this.clients.cloudFormation(target);
    const drifts: ResourceDrift[] = [];
    for await (const page of paginateDescribeStackResourceDrifts(
      { client },
      { StackName: stackNameOrId },
    )) {
      for (const d of page.StackResourceDrifts ?? []) {
        const status = d.StackResourceDriftStatus ?? 'NOT_CHECKED';
        drifts.push({
          logicalId: d.LogicalResourceId ?? '',
          physicalId: d.PhysicalResourceId || undefined,
          type: d.ResourceType ?? 'unknown',
          status: (RESOURCE_STATUSES.has(status)
            ? status
            : 'NOT_CHECKED') as ResourceDrift['status'],
          differences: (d.PropertyDifferences ?? []).map(p => ({
            path: p.PropertyPath ?? '',
            expected: p.ExpectedValue,
            actual: p.ActualValue,
            type: p.DifferenceType ?? 'NOT_EQUAL',
          })),
        });
      }
    }
    return drifts;
  }
}
