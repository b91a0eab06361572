import { LoopbackAws } from './LoopbackAws';
import { propertyDifferences } from './stackDrift';

/** A CloudFormation query call the way the SDK sends one (unsigned). */
async function cfn(aws: LoopbackAws, params: Record<string, string>) {
  const response = await fetch(aws.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Version: '2010-05-15', ...params }),
  });
  return { status: response.status, text: await response.text() };
}
const all = (text: string, tag: string) =>
  [...text.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map(m =>
    m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
  );

describe('propertyDifferences', () => {
  it('names changed, added and removed properties by JSON pointer', () => {
    expect(
      propertyDifferences(
        { Timeout: 3, Tags: [{ Key: 'a', Value: '1' }], Gone: true },
        { Timeout: 30, Tags: [{ Key: 'a', Value: '2' }], New: 'x' },
      ),
    ).toEqual([
      { path: '/Timeout', expected: 3, actual: 30, type: 'NOT_EQUAL' },
      { path: '/Tags/0/Value', expected: '1', actual: '2', type: 'NOT_EQUAL' },
      { path: '/Gone', expected: true, type: 'REMOVE' },
      { path: '/New', actual: 'x', type: 'ADD' },
    ]);
    expect(
      propertyDifferences({ a: { 'b/c': 1 } }, { a: { 'b/c': 1 } }),
    ).toEqual([]);
  });
});

describe('drift detection on the loopback CloudFormation endpoint', () => {
  let aws: LoopbackAws;
  beforeEach(async () => {
    aws = await LoopbackAws.start();
    aws.cloudFormation.addStack({
      name: 'orders-dev',
      status: 'CREATE_COMPLETE',
      template: {
        Resources: {
          Queue: {
            Type: 'AWS::SQS::Queue',
            Properties: { VisibilityTimeout: 30 },
          },
          Handler: {
            Type: 'AWS::Lambda::Function',
            Properties: { MemorySize: 128, Timeout: 3 },
          },
          Topic: { Type: 'AWS::SNS::Topic' },
        },
      },
      resources: [
        { logicalId: 'Queue', type: 'AWS::SQS::Queue', physicalId: 'q-1' },
        {
          logicalId: 'Handler',
          type: 'AWS::Lambda::Function',
          physicalId: 'fn-1',
        },
        { logicalId: 'Topic', type: 'AWS::SNS::Topic', physicalId: 'topic-1' },
      ],
    });
  });
  afterEach(() => aws.stop());

  async function detect(): Promise<string> {
    const started = await cfn(aws, {
      Action: 'DetectStackDrift',
      StackName: 'orders-dev',
    });
    expect(started.status).toBe(200);
    return all(started.text, 'StackDriftDetectionId')[0];
  }

  it('reports IN_SYNC when no resource changed, after the detection finishes', async () => {
    const id = await detect();
    const first = await cfn(aws, {
      Action: 'DescribeStackDriftDetectionStatus',
      StackDriftDetectionId: id,
    });
    expect(all(first.text, 'DetectionStatus')).toEqual([
      'DETECTION_IN_PROGRESS',
    ]);
    const done = await cfn(aws, {
      Action: 'DescribeStackDriftDetectionStatus',
      StackDriftDetectionId: id,
    });
    expect(all(done.text, 'DetectionStatus')).toEqual(['DETECTION_COMPLETE']);
    expect(all(done.text, 'StackDriftStatus')).toEqual(['IN_SYNC']);
    expect(all(done.text, 'DriftedStackResourceCount')).toEqual(['0']);
  });

  it('reports MODIFIED with expected and actual values of a drifted resource, DELETED for one removed, paged', async () => {
    aws.cloudFormation.driftResource('orders-dev', 'Handler', {
      MemorySize: 512,
      Timeout: 3,
    });
    aws.cloudFormation.driftResource('orders-dev', 'Topic', 'deleted');
    aws.cloudFormation.driftDetectionPolls = 0;
    aws.cloudFormation.resourceDriftsPageSize = 2;
    const id = await detect();
    const status = await cfn(aws, {
      Action: 'DescribeStackDriftDetectionStatus',
      StackDriftDetectionId: id,
    });
    expect(all(status.text, 'StackDriftStatus')).toEqual(['DRIFTED']);
    expect(all(status.text, 'DriftedStackResourceCount')).toEqual(['2']);

    const first = await cfn(aws, {
      Action: 'DescribeStackResourceDrifts',
      StackName: 'orders-dev',
    });
    expect(all(first.text, 'LogicalResourceId')).toEqual(['Queue', 'Handler']);
    expect(all(first.text, 'StackResourceDriftStatus')).toEqual([
      'IN_SYNC',
      'MODIFIED',
    ]);
    expect(all(first.text, 'PropertyPath')).toEqual(['/MemorySize']);
    expect(all(first.text, 'ExpectedValue')).toEqual(['128']);
    expect(all(first.text, 'ActualValue')).toEqual(['512']);
    expect(all(first.text, 'DifferenceType')).toEqual(['NOT_EQUAL']);
    const token = all(first.text, 'NextToken')[0];
    expect(token).toBeDefined();
    const second = await cfn(aws, {
      Action: 'DescribeStackResourceDrifts',
      StackName: 'orders-dev',
      NextToken: token,
    });
    expect(all(second.text, 'LogicalResourceId')).toEqual(['Topic']);
    expect(all(second.text, 'StackResourceDriftStatus')).toEqual(['DELETED']);
    expect(all(second.text, 'NextToken')).toEqual([]);

    const filtered = await cfn(aws, {
      Action: 'DescribeStackResourceDrifts',
      StackName: 'orders-dev',
      'StackResourceDriftStatusFilters.member.1': 'MODIFIED',
    });
    expect(all(filtered.text, 'LogicalResourceId')).toEqual(['Handler']);
    expect(aws.unimplemented).toEqual([]);
  });

  it('refuses detection on a stack that does not exist or is in progress', async () => {
    const missing = await cfn(aws, {
      Action: 'DetectStackDrift',
      StackName: 'nope-dev',
    });
    expect(missing.status).toBe(400);
    expect(all(missing.text, 'Code')).toEqual(['ValidationError']);
    aws.cloudFormation.stacks.get('orders-dev')!.status = 'UPDATE_IN_PROGRESS';
    const busy = await cfn(aws, {
      Action: 'DetectStackDrift',
      StackName: 'orders-dev',
    });
    expect(busy.status).toBe(400);
    expect(all(busy.text, 'Message')[0]).toMatch(/UPDATE_IN_PROGRESS/);
  });

  it('creates a stack with CreateStack, with its tags, walking it to CREATE_COMPLETE', async () => {
    const created = await cfn(aws, {
      Action: 'CreateStack',
      StackName: 'billing-pr-7',
      TemplateBody: JSON.stringify({
        Resources: { Queue: { Type: 'AWS::SQS::Queue' } },
      }),
      'Tags.member.1.Key': 'stackyard:branch',
      'Tags.member.1.Value': 'feature/pr-7',
    });
    expect(created.status).toBe(200);
    const stack = aws.cloudFormation.stacks.get('billing-pr-7')!;
    expect(all(created.text, 'StackId')).toEqual([stack.id]);
    expect(stack.tags).toEqual({ 'stackyard:branch': 'feature/pr-7' });
    const deadline = Date.now() + 5000;
    while (stack.status !== 'CREATE_COMPLETE' && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 5));
    }
    expect(stack.status).toBe('CREATE_COMPLETE');
    expect(stack.resources.map(r => r.logicalId)).toEqual(['Queue']);
  });
});
