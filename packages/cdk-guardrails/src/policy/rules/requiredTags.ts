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
  'AWS::Events::EventBus',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::StepFunctions::StateMachine',
]);

/** Tag keys of a `Tags` property, whether a list of Key/Value or a map. */
export function tagKeys(tags: unknown): string[] {
  if (Array.isArray(tags)) {
    return tags
      .map(t => (t && typeof t === 'object' ? (t as any).Key : undefined))
      .filter((k): k is string => typeof k === 'string');
  }
  if (tags && typeof tags === 'object') {
    return Object.keys(tags);
  }
  return [];
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

/** Every taggable resource carries the cost allocation tags. */
export const requiredTags: PolicyRule = {
  id: 'SY-TAGS',
  severity: 'error',
  description: `Every taggable resource carries the tags ${REQUIRED_TAGS.join(', ')}`,
  evaluate(resource) {
    if (
      !TAGGABLE_TYPES.has(resource.type) &&
      resource.properties.Tags === undefined
    ) {
      return notApplicable;
    }
    const problems = tagSets(resource)
      .map(({ where, tags }) => {
        const keys = tagKeys(tags);
        const missing = REQUIRED_TAGS.filter(t => !keys.includes(t));
        return missing.length > 0 ? `missing tag ${missing.join(', ')}${where}` : '';
      })
      .filter(Boolean);
    return problems.length > 0
      ? nonCompliant(`${problems.join('; ')}: tag every resource with ${REQUIRED_TAGS.join(', ')}`)
      : compliant;
  },
};
