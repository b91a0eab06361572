import type { Environment } from '@stackyard/plugin-stackyard-common';

type Located = Pick<
  Environment,
  'targetType' | 'region' | 'stackId' | 'stackName'
>;

function consoleBase(env: Located, service: string): string | undefined {
  if (env.targetType !== 'aws' || !env.region) return undefined;
  const region = encodeURIComponent(env.region);
  return `https://${region}.console.aws.amazon.com/${service}/home?region=${region}`;
}

type StackTab = 'stackinfo' | 'resources' | 'events' | 'outputs';

/** The CloudFormation console page of the environment's stack; undefined for local previews. */
export function stackConsoleUrl(
  env: Located,
  tab: StackTab = 'stackinfo',
): string | undefined {
  const base = consoleBase(env, 'cloudformation');
  if (!base) return undefined;
  const stack = encodeURIComponent(env.stackId ?? env.stackName);
  return `${base}#/stacks/${tab}?stackId=${stack}`;
}

/** The CloudWatch console page of one alarm; undefined for local previews. */
export function alarmConsoleUrl(
  env: Located,
  alarmName: string,
): string | undefined {
  const base = consoleBase(env, 'cloudwatch');
  if (!base) return undefined;
  return `${base}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;
}

/** The resource fields a console link is built from. */
type Linkable = { type: string; physicalId?: string };

const enc = encodeURIComponent;

/** CloudWatch's console encodes `%` again, as `$25`, in log group paths. */
const cloudWatchPath = (value: string) => enc(value).replace(/%/g, '$25');

/** Console pages per resource type: base URL of the service, physical id → page. */
const RESOURCE_PAGES: Record<
  string,
  { service: string; page: (id: string) => string }
> = {
  'AWS::Lambda::Function': {
    service: 'lambda',
    page: id => `#/functions/${enc(id)}`,
  },
  'AWS::SQS::Queue': {
    service: 'sqs/v3',
    page: id => `#/queues/${enc(id)}`,
  },
  'AWS::DynamoDB::Table': {
    service: 'dynamodbv2',
    page: id => `#table?name=${enc(id)}`,
  },
  'AWS::ApiGateway::RestApi': {
    service: 'apigateway',
    page: id => `#/apis/${enc(id)}/resources`,
  },
  'AWS::ApiGatewayV2::Api': {
    service: 'apigateway',
    page: id => `#/apis/${enc(id)}/routes`,
  },
  'AWS::SNS::Topic': {
    service: 'sns/v3',
    page: id => `#/topic/${enc(id)}`,
  },
  'AWS::CloudWatch::Alarm': {
    service: 'cloudwatch',
    page: id => `#alarmsV2:alarm/${enc(id)}`,
  },
  'AWS::CloudWatch::CompositeAlarm': {
    service: 'cloudwatch',
    page: id => `#alarmsV2:alarm/${enc(id)}`,
  },
  'AWS::CloudWatch::Dashboard': {
    service: 'cloudwatch',
    page: id => `#dashboards/dashboard/${enc(id)}`,
  },
  'AWS::Logs::LogGroup': {
    service: 'cloudwatch',
    page: id => `#logsV2:log-groups/log-group/${cloudWatchPath(id)}`,
  },
  'AWS::StepFunctions::StateMachine': {
    service: 'states',
    page: id => `#/statemachines/view/${enc(id)}`,
  },
  'AWS::RDS::DBInstance': {
    service: 'rds',
    page: id => `#database:id=${enc(id)};is-cluster=false`,
  },
  'AWS::ElastiCache::ReplicationGroup': {
    service: 'elasticache',
    page: id => `#/redis/${enc(id)}`,
  },
  // The physical id is the load balancer's ARN.
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    service: 'ec2',
    page: id => `#LoadBalancer:loadBalancerArn=${enc(id)}`,
  },
};

/** An ECS service's ARN, `arn:…:service/<cluster>/<service>`, as its parts. */
function ecsServiceOf(
  arn: string,
): { cluster: string; service: string } | undefined {
  const match = /^arn:[^:]+:ecs:[^:]*:[^:]*:service\/([^/]+)\/([^/]+)$/.exec(
    arn,
  );
  return match ? { cluster: match[1], service: match[2] } : undefined;
}

/**
 * The console page of one resource of an environment's stack: the
 * resource's own page for the types the console has one for, else the
 * stack's resources tab. Undefined for local previews and for resources
 * not deployed (no physical id).
 */
export function resourceConsoleUrl(
  env: Located,
  resource: Linkable,
): { url: string; perResource: boolean } | undefined {
  const id = resource.physicalId;
  if (env.targetType !== 'aws' || !env.region || !id) return undefined;
  const region = enc(env.region);
  if (resource.type === 'AWS::IAM::Role') {
    // IAM is global: one console for every region.
    return {
      url: `https://console.aws.amazon.com/iam/home#/roles/details/${enc(id)}`,
      perResource: true,
    };
  }
  if (resource.type === 'AWS::S3::Bucket') {
    return {
      url: `https://s3.console.aws.amazon.com/s3/buckets/${enc(
        id,
      )}?region=${region}`,
      perResource: true,
    };
  }
  const ecs =
    resource.type === 'AWS::ECS::Service' ? ecsServiceOf(id) : undefined;
  if (ecs) {
    // The ECS console routes by path, not by fragment.
    return {
      url: `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${enc(
        ecs.cluster,
      )}/services/${enc(ecs.service)}/health?region=${region}`,
      perResource: true,
    };
  }
  const known = RESOURCE_PAGES[resource.type];
  if (known) {
    return {
      url: `${consoleBase(env, known.service)}${known.page(id)}`,
      perResource: true,
    };
  }
  const stack = stackConsoleUrl(env, 'resources');
  return stack ? { url: stack, perResource: false } : undefined;
}
