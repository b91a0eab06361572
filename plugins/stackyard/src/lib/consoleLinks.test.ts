import {
  alarmConsoleUrl,
  resourceConsoleUrl,
  stackConsoleUrl,
} from './consoleLinks';

const aws = {
  targetType: 'aws' as const,
  region: 'eu-west-1',
  stackName: 'wo-dev',
  stackId:
    'arn:aws:cloudformation:eu-west-1:123456789012:stack/wo-dev/0f1e2d3c',
};

describe('console links', () => {
  it('links a stack by its id, in its region', () => {
    expect(stackConsoleUrl(aws, 'resources')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/resources?stackId=arn%3Aaws%3Acloudformation%3Aeu-west-1%3A123456789012%3Astack%2Fwo-dev%2F0f1e2d3c',
    );
  });

  it('falls back to the stack name', () => {
    expect(stackConsoleUrl({ ...aws, stackId: undefined })).toMatch(
      /#\/stacks\/stackinfo\?stackId=wo-dev$/,
    );
  });

  it('links an alarm by its encoded name', () => {
    expect(alarmConsoleUrl(aws, 'wo-dev Errors/5xx')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/wo-dev%20Errors%2F5xx',
    );
  });

  it('has no links for local previews', () => {
    const local = { ...aws, targetType: 'local' as const };
    expect(stackConsoleUrl(local)).toBeUndefined();
    expect(alarmConsoleUrl(local, 'x')).toBeUndefined();
  });
});

describe('resource console links', () => {
  const base = 'https://eu-west-1.console.aws.amazon.com';
  it.each([
    [
      'AWS::Lambda::Function',
      'wo-dev-handler',
      `${base}/lambda/home?region=eu-west-1#/functions/wo-dev-handler`,
    ],
    [
      'AWS::SQS::Queue',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/wo-dev-jobs',
      `${base}/sqs/v3/home?region=eu-west-1#/queues/https%3A%2F%2Fsqs.eu-west-1.amazonaws.com%2F123456789012%2Fwo-dev-jobs`,
    ],
    [
      'AWS::DynamoDB::Table',
      'wo-dev-orders',
      `${base}/dynamodbv2/home?region=eu-west-1#table?name=wo-dev-orders`,
    ],
    [
      'AWS::ApiGateway::RestApi',
      'a1b2c3',
      `${base}/apigateway/home?region=eu-west-1#/apis/a1b2c3/resources`,
    ],
    [
      'AWS::ApiGatewayV2::Api',
      'x9y8z7',
      `${base}/apigateway/home?region=eu-west-1#/apis/x9y8z7/routes`,
    ],
    [
      'AWS::SNS::Topic',
      'arn:aws:sns:eu-west-1:123456789012:wo-dev-events',
      `${base}/sns/v3/home?region=eu-west-1#/topic/arn%3Aaws%3Asns%3Aeu-west-1%3A123456789012%3Awo-dev-events`,
    ],
    [
      'AWS::CloudWatch::Alarm',
      'wo-dev-errors',
      `${base}/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/wo-dev-errors`,
    ],
    [
      'AWS::CloudWatch::Dashboard',
      'wo-dev',
      `${base}/cloudwatch/home?region=eu-west-1#dashboards/dashboard/wo-dev`,
    ],
    [
      'AWS::Logs::LogGroup',
      '/aws/lambda/wo-dev-handler',
      `${base}/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Fwo-dev-handler`,
    ],
    [
      'AWS::IAM::Role',
      'wo-dev-HandlerRole-1A2B',
      'https://console.aws.amazon.com/iam/home#/roles/details/wo-dev-HandlerRole-1A2B',
    ],
    [
      'AWS::S3::Bucket',
      'wo-dev-assets',
      'https://s3.console.aws.amazon.com/s3/buckets/wo-dev-assets?region=eu-west-1',
    ],
    [
      'AWS::ECS::Service',
      'arn:aws:ecs:eu-west-1:123456789012:service/wo-dev-ClusterEB0386A7-aB1/wo-dev-ApiContainerService6855FAF8-cD2',
      `${base}/ecs/v2/clusters/wo-dev-ClusterEB0386A7-aB1/services/wo-dev-ApiContainerService6855FAF8-cD2/health?region=eu-west-1`,
    ],
    [
      'AWS::RDS::DBInstance',
      'wo-dev-maindatabase1a2b',
      `${base}/rds/home?region=eu-west-1#database:id=wo-dev-maindatabase1a2b;is-cluster=false`,
    ],
    [
      'AWS::ElastiCache::ReplicationGroup',
      'wo-dev-jobs',
      `${base}/elasticache/home?region=eu-west-1#/redis/wo-dev-jobs`,
    ],
    [
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/wo-dev-Api/50dc6c495c0c9188',
      `${base}/ec2/home?region=eu-west-1#LoadBalancer:loadBalancerArn=arn%3Aaws%3Aelasticloadbalancing%3Aeu-west-1%3A123456789012%3Aloadbalancer%2Fapp%2Fwo-dev-Api%2F50dc6c495c0c9188`,
    ],
  ])('links a %s to its own page', (type, physicalId, url) => {
    expect(resourceConsoleUrl(aws, { type, physicalId })).toEqual({
      url,
      perResource: true,
    });
  });

  it("falls back to the stack's resources tab for an ECS service ARN without its cluster", () => {
    expect(
      resourceConsoleUrl(aws, {
        type: 'AWS::ECS::Service',
        physicalId: 'arn:aws:ecs:eu-west-1:123456789012:service/old-format',
      }),
    ).toEqual({ url: stackConsoleUrl(aws, 'resources'), perResource: false });
  });

  it("falls back to the stack's resources tab for other types", () => {
    expect(
      resourceConsoleUrl(aws, {
        type: 'AWS::Lambda::Permission',
        physicalId: 'perm-1',
      }),
    ).toEqual({ url: stackConsoleUrl(aws, 'resources'), perResource: false });
  });

  it('has no link for resources not deployed or of local previews', () => {
    expect(
      resourceConsoleUrl(aws, { type: 'AWS::SQS::Queue' }),
    ).toBeUndefined();
    expect(
      resourceConsoleUrl(
        { ...aws, targetType: 'local', region: undefined },
        { type: 'AWS::SQS::Queue', physicalId: 'q' },
      ),
    ).toBeUndefined();
  });
});
