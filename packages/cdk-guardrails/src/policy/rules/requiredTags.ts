import { PolicyRule, TemplateResource, compliant, nonCompliant, notApplicable } from '../types';

/** Tags every taggable resource must carry. */
export const REQUIRED_TAGS = ['Project', 'Environment', 'CostCenter'];

/**
 * Resource types known to take tags. Resources of other types are judged
 * when they carry a `Tags` property, since that proves they take tags.
 */
export const TAGGABLE_TYPES = new Set([
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Stage',
  'AWS::CloudWatch::Alarm',
  'AWS::DynamoDB::GlobalTable',
  'AWS::DynamoDB::Table',
  'AWS::EC2::EIP',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::NatGateway',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::Subnet',
  'AWS::EC2::VPC',
  'AWS::ECR::Repository',
  'AWS::ECS::Cluster',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::ElastiCache::ParameterGroup',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::SubnetGroup',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::Events::EventBus',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBSubnetGroup',
  'AWS::S3::Bucket',
  'AWS::SecretsManager::Secret',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::StepFunctions::StateMachine',
]);

/**
 * The entries of a `Tags` property, whether a list of Key/Value (most
 * types) or a map (API Gateway v2, among others).
 */
export function tagEntries(tags: unknown): [string, unknown][] {
  if (Array.isArray(tags)) {
    return tags
      .filter(t => t && typeof t === 'object' && typeof (t as any).Key === 'string')
      .map(t => [(t as any).Key as string, (t as any).Value]);
  }
  if (tags && typeof tags === 'object') {
    return Object.entries(tags);
  }
  return [];
}

// A value the template resolves at deploy time (an intrinsic) counts as set.
function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function tagSets(resource: TemplateResource): { where: string; tags: unknown }[] {
  if (resource.type === 'AWS::DynamoDB::GlobalTable') {
    const replicas = resource.properties.Replicas;
    return (Array.isArray(replicas) ? replicas : []).map((r: any, i) => ({
      where: ` on replica ${typeof r?.Region === 'string' ? r.Region : `#${i}`}`,
      tags: r?.Tags,
    }));
  }
  return [{ where: '', tags: resource.properties.Tags }];
}

/** Every taggable resource carries the cost allocation tags, none of them empty. */
export const requiredTags: PolicyRule = {
  id: 'SY-TAGS',
  severity: 'error',
  description: `Every taggable resource carries the tags ${REQUIRED_TAGS.join(', ')}, each with a non-empty value`,
  evaluate(resource) {
    if (
      !TAGGABLE_TYPES.has(resource.type) &&
      resource.properties.Tags === undefined
    ) {
      return notApplicable;
    }
    const problems = tagSets(resource)
      .flatMap(({ where, tags }) => {
        const entries = new Map(tagEntries(tags));
        const missing = REQUIRED_TAGS.filter(t => !entries.has(t));
        const empty = REQUIRED_TAGS.filter(t => entries.has(t) && isEmptyValue(entries.get(t)));
        return [
          ...(missing.length > 0 ? [`missing tag ${missing.join(', ')}${where}`] : []),
          ...(empty.length > 0
            ? [`empty tag ${empty.map(t => `${t} ${JSON.stringify(entries.get(t) ?? null)}`).join(', ')}${where}`]
            : []),
        ];
      });
    return problems.length > 0
      ? nonCompliant(
          `${problems.join('; ')}: tag every resource with ${REQUIRED_TAGS.join(', ')}, each with a non-empty value`,
        )
      : compliant;
  },
};
