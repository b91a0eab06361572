import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SafeTable } from './SafeTable';
import { testStack } from './testing';

const key = { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } };

function tableIn(stage: string) {
  const stack = testStack({ stage });
  new SafeTable(stack, 'Items', key);
  return Template.fromStack(stack);
}

describe('SafeTable', () => {
  it.each(['dev', 'prod'])('turns on PITR and deletion protection and retains the table in %s', stage => {
    tableIn(stage).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
  });

  it('destroys the table only in an ephemeral preview stage', () => {
    tableIn('preview').hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: {
        DeletionProtectionEnabled: false,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
  });

  it('refuses DESTROY outside ephemeral stages', () => {
    expect(() => new SafeTable(testStack({ stage: 'dev' }), 'T', { ...key, removalPolicy: RemovalPolicy.DESTROY })).toThrow(
      '[Svc/T] invalid SafeTable props: removalPolicy "destroy" is not allowed: stage "dev" is not ephemeral, so tables must be retained (RETAIN)',
    );
  });
});
