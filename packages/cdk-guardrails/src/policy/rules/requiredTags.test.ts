import { describeRule, res } from '../ruleHarness';
import { requiredTags } from './requiredTags';

const list = [
  { Key: 'Project', Value: 'wo' },
  { Key: 'Environment', Value: 'dev' },
  { Key: 'CostCenter', Value: 'cc' },
];
const map = { Project: 'wo', Environment: 'dev', CostCenter: 'cc' };

describeRule(requiredTags, {
  compliant: [
    { name: 'tag list', resource: res('F', 'AWS::Lambda::Function', { Tags: list }) },
    { name: 'tag map (API Gateway v2)', resource: res('A', 'AWS::ApiGatewayV2::Api', { Tags: map }) },
    {
      name: 'global table replicas',
      resource: res('G', 'AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-1', Tags: list }] }),
    },
    { name: 'unknown type that carries tags', resource: res('X', 'AWS::Foo::Bar', { Tags: list }) },
  ],
  nonCompliant: [
    { name: 'untagged function', resource: res('F', 'AWS::Lambda::Function'), message: /missing tag Project, Environment, CostCenter/ },
    { name: 'missing one tag', resource: res('Q', 'AWS::SQS::Queue', { Tags: list.slice(0, 2) }), message: /missing tag CostCenter:/ },
    {
      name: 'untagged replica',
      resource: res('G', 'AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-1', Tags: list }, { Region: 'us-east-1' }] }),
      message: /on replica us-east-1/,
    },
  ],
  notApplicable: [
    { name: 'untaggable type', resource: res('P', 'AWS::IAM::Policy') },
    { name: 'lambda permission', resource: res('P', 'AWS::Lambda::Permission') },
  ],
});
