import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DiffMethod, Toolkit } from '@aws-cdk/toolkit-lib';
import {
  App,
  Stack,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { approvalDiffOf, PermissionTemplateDiff } from './approvalDiff';

jest.setTimeout(60_000);

const silent = {
  notify: async () => {},
  requestResponse: async (m: { defaultResponse: unknown }) =>
    m.defaultResponse as any,
};

/** The deployed template the new stack is compared with. */
const BEFORE = {
  Resources: {
    Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs-v1' } },
    Web: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'web',
        VpcId: 'vpc-0123',
        SecurityGroupIngress: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' },
        ],
      },
    },
  },
};

describe('approvalDiffOf (toolkit-lib template diffs of a real synthesized stack)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stackyard-approval-diff-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists IAM statements, managed policies and security-group rules added and removed, and replaced resources', async () => {
    const before = join(dir, 'before.json');
    writeFileSync(before, JSON.stringify(BEFORE));
    const toolkit = new Toolkit({ ioHost: silent as any, color: false });
    const source = await toolkit.fromAssemblyBuilder(async ({ outdir }) => {
      const app = new App({ outdir });
      const stack = new Stack(app, 'orders-dev');
      // A new queue name: CloudFormation replaces the queue.
      new sqs.CfnQueue(stack, 'Q', { queueName: 'jobs-v2' }).overrideLogicalId(
        'Jobs',
      );
      new ec2.CfnSecurityGroup(stack, 'G', {
        groupDescription: 'web',
        vpcId: 'vpc-0123',
        securityGroupIngress: [
          {
            ipProtocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            cidrIp: '0.0.0.0/0',
          },
        ],
      }).overrideLogicalId('Web');
      new iam.CfnRole(stack, 'R', {
        assumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        policies: [
          {
            policyName: 'read',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 's3:GetObject',
                  Resource: 'arn:aws:s3:::orders/*',
                },
              ],
            },
          },
        ],
      }).overrideLogicalId('FnRole');
      return app.synth();
    });
    const diffs = await toolkit.diff(source, {
      method: DiffMethod.LocalFile(before),
    });

    const diff = approvalDiffOf(
      diffs as unknown as Record<string, PermissionTemplateDiff>,
    );

    expect(diff.iamStatements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          change: 'added',
          effect: 'Allow',
          action: 's3:GetObject',
          resource: 'arn:aws:s3:::orders/*',
        }),
        expect.objectContaining({
          change: 'added',
          action: 'sts:AssumeRole',
          principal: 'Service:lambda.amazonaws.com',
        }),
      ]),
    );
    expect(diff.managedPolicies).toEqual([
      {
        change: 'added',
        resource: '${FnRole}',
        managedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      },
    ]);
    expect(diff.securityGroupRules).toEqual(
      expect.arrayContaining([
        {
          change: 'added',
          direction: 'ingress',
          group: '${Web.GroupId}',
          protocol: 'TCP 443',
          peer: 'Everyone (IPv4)',
        },
        {
          change: 'removed',
          direction: 'ingress',
          group: '${Web.GroupId}',
          protocol: 'TCP 22',
          peer: '10.0.0.0/8',
        },
      ]),
    );
    expect(diff.replacedResources).toEqual([
      { logicalId: 'Jobs', resourceType: 'AWS::SQS::Queue', impact: 'replace' },
    ]);
  });

  it('is empty for a diff with nothing to review', () => {
    const none = { additions: [], removals: [] };
    expect(
      approvalDiffOf({
        s: {
          iamChanges: { statements: none, managedPolicies: none },
          securityGroupChanges: { ingress: none, egress: none },
          resources: {
            changes: {
              Q: {
                changeImpact: 'WILL_UPDATE',
                resourceType: 'AWS::SQS::Queue',
              },
            },
          },
        },
      }),
    ).toEqual({
      iamStatements: [],
      managedPolicies: [],
      securityGroupRules: [],
      replacedResources: [],
    });
  });
});
