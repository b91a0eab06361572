import { LoopbackAws } from './LoopbackAws';

/** A query-protocol call the way the SDK sends one (unsigned). */
async function query(
  aws: LoopbackAws,
  version: string,
  params: Record<string, string>,
) {
  const response = await fetch(aws.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Version: version, ...params }),
  });
  return { status: response.status, text: await response.text() };
}
const cfn = (aws: LoopbackAws, params: Record<string, string>) =>
  query(aws, '2010-05-15', params);
const all = (text: string, tag: string) =>
  [...text.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map(
    m => m[1],
  );

async function json(aws: LoopbackAws, target: string, body: object) {
  const response = await fetch(aws.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': target,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('LoopbackAws (loopback AWS endpoint)', () => {
  let aws: LoopbackAws;
  beforeEach(async () => {
    aws = await LoopbackAws.start();
  });
  afterEach(async () => {
    await aws.stop();
  });

  it('pages DescribeStacks and counts every call by service and action', async () => {
    for (let i = 0; i < 5; i++) {
      aws.cloudFormation.addStack({ name: `s${i}`, status: 'CREATE_COMPLETE' });
    }
    aws.cloudFormation.stacksPageSize = 2;
    const names: string[] = [];
    let token: string | undefined;
    do {
      const { text } = await cfn(aws, {
        Action: 'DescribeStacks',
        ...(token ? { NextToken: token } : {}),
      });
      names.push(...all(text, 'StackName'));
      token = all(text, 'NextToken')[0];
    } while (token);
    expect(names).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(aws.callCount).toEqual({ DescribeStacks: 3 });
    expect(aws.callsOf('cloudformation')).toEqual([
      'DescribeStacks',
      'DescribeStacks',
      'DescribeStacks',
    ]);
  });

  it('throttles the next N calls of an action in the protocol of its service', async () => {
    aws.throttle.DescribeStacks = 1;
    aws.throttle.DescribeAlarms = 1;
    const stacks = await cfn(aws, { Action: 'DescribeStacks' });
    expect(stacks.status).toBe(400);
    expect(all(stacks.text, 'Code')).toEqual(['Throttling']);
    expect((await cfn(aws, { Action: 'DescribeStacks' })).status).toBe(200);
    const alarms = await json(
      aws,
      'GraniteServiceVersion20100801.DescribeAlarms',
      {},
    );
    expect(alarms).toEqual({
      status: 400,
      body: { __type: 'Throttling', message: 'Rate exceeded' },
    });
  });

  it('keeps a deleting stack DELETE_IN_PROGRESS until the deletion completes, then finds it only by ID', async () => {
    const stack = aws.cloudFormation.addStack({
      name: 'orders-dev',
      status: 'CREATE_COMPLETE',
      resources: [{ logicalId: 'Queue', type: 'AWS::SQS::Queue' }],
    });
    aws.cloudFormation.addStack({
      name: 'orders-prod',
      status: 'CREATE_COMPLETE',
      terminationProtection: true,
    });
    const refused = await cfn(aws, {
      Action: 'DeleteStack',
      StackName: 'orders-prod',
    });
    expect(all(refused.text, 'Message')[0]).toMatch(/TerminationProtection/);

    await cfn(aws, { Action: 'DeleteStack', StackName: 'orders-dev' });
    expect(stack.status).toBe('DELETE_IN_PROGRESS');
    aws.cloudFormation.completeDeletion('orders-dev');

    const byName = await cfn(aws, {
      Action: 'DescribeStacks',
      StackName: 'orders-dev',
    });
    expect(all(byName.text, 'Code')).toEqual(['ValidationError']);
    const byId = await cfn(aws, {
      Action: 'DescribeStacks',
      StackName: stack.id,
    });
    expect(all(byId.text, 'StackStatus')).toEqual(['DELETE_COMPLETE']);
    const events = await cfn(aws, {
      Action: 'DescribeStackEvents',
      StackName: stack.id,
    });
    expect(all(events.text, 'ResourceStatus')).toEqual([
      'DELETE_COMPLETE',
      'DELETE_COMPLETE',
      'DELETE_IN_PROGRESS',
    ]);
  });

  it('deploys a change set step by step, with a template read from the loopback S3', async () => {
    aws.bootstrap();
    const template = {
      Resources: { Queue: { Type: 'AWS::SQS::Queue' } },
      Outputs: { QueueName: { Value: { 'Fn::GetAtt': ['Queue', 'Name'] } } },
    };
    const bucket = `cdk-hnb659fds-assets-${aws.account}-${aws.region}`;
    const put = await fetch(`${aws.url}/${bucket}/t.json`, {
      method: 'PUT',
      // Routed by the SigV4 scope, as the SDK's signed requests are.
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOOPBACK/20260101/${aws.region}/s3/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(template),
    });
    expect(put.status).toBe(200);

    const created = await cfn(aws, {
      Action: 'CreateChangeSet',
      StackName: 'orders-dev',
      ChangeSetName: 'cs1',
      ChangeSetType: 'CREATE',
      TemplateURL: `https://s3.${aws.region}.amazonaws.com/${bucket}/t.json`,
    });
    expect(created.status).toBe(200);
    expect(aws.cloudFormation.stacks.get('orders-dev')?.status).toBe(
      'REVIEW_IN_PROGRESS',
    );
    await cfn(aws, {
      Action: 'ExecuteChangeSet',
      StackName: 'orders-dev',
      ChangeSetName: 'cs1',
    });
    const stack = aws.cloudFormation.stacks.get('orders-dev')!;
    expect(stack.status).toBe('CREATE_IN_PROGRESS');
    await new Promise(r => setTimeout(r, 100));
    expect(stack.status).toBe('CREATE_COMPLETE');
    expect(stack.resources.map(r => [r.logicalId, r.status])).toEqual([
      ['Queue', 'CREATE_COMPLETE'],
    ]);
    expect(stack.outputs.QueueName).toMatch(/^orders-dev-Queue-.*\.Name$/);
    expect(aws.unimplemented).toEqual([]);
  });

  it('answers SSM parameters and STS identities, and names what it does not implement', async () => {
    aws.bootstrap(27);
    const ssm = await fetch(aws.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.GetParameter',
      },
      body: JSON.stringify({ Name: '/cdk-bootstrap/hnb659fds/version' }),
    });
    expect((await ssm.json()).Parameter.Value).toBe('27');
    const identity = await query(aws, '2011-06-15', {
      Action: 'GetCallerIdentity',
    });
    expect(all(identity.text, 'Account')).toEqual([aws.account]);

    const lambda = await fetch(
      `${aws.url}/2015-03-31/functions/f/invocations`,
      {
        method: 'POST',
      },
    );
    expect(lambda.status).toBe(400);
    await cfn(aws, { Action: 'CreateStackSet' });
    expect(aws.unimplemented).toEqual([
      'unknown:POST /2015-03-31/functions/f/invocations',
      'cloudformation:CreateStackSet',
    ]);
  });
});
