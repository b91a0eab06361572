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
    {
      name: 'value resolved at deploy time',
      resource: res('F', 'AWS::Lambda::Function', { Tags: [...list.slice(0, 2), { Key: 'CostCenter', Value: { Ref: 'CostCenter' } }] }),
    },
  ],
  nonCompliant: [
    { name: 'untagged function', resource: res('F', 'AWS::Lambda::Function'), message: /missing tag Project, Environment, CostCenter/ },
    { name: 'missing one tag', resource: res('Q', 'AWS::SQS::Queue', { Tags: list.slice(0, 2) }), message: /missing tag CostCenter:/ },
    {
      name: 'untagged replica',
      resource: res('G', 'AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-1', Tags: list }, { Region: 'us-east-1' }] }),
      message: /on replica us-east-1/,
    },
    {
      name: 'empty value',
      resource: res('Q', 'AWS::SQS::Queue', { Tags: [...list.slice(0, 2), { Key: 'CostCenter', Value: '' }] }),
      message: /^empty tag CostCenter "":/,
    },
    {
      name: 'blank value in a tag map',
      resource: res('A', 'AWS::ApiGatewayV2::Api', { Tags: { ...map, Project: '  ' } }),
      message: /empty tag Project " {2}"/,
    },
    {
      name: 'tag without a value',
      resource: res('F', 'AWS::Lambda::Function', { Tags: [...list.slice(1), { Key: 'Project' }] }),
      message: /empty tag Project null: tag every resource .* each with a non-empty value/,
    },
    { name: 'untagged database (newer taggable type)', resource: res('D', 'AWS::RDS::DBInstance'), message: /missing tag Project/ },
    { name: 'untagged ECS service', resource: res('S', 'AWS::ECS::Service'), message: /missing tag Project/ },
  ],
  notApplicable: [
    { name: 'untaggable type', resource: res('P', 'AWS::IAM::Policy') },
    { name: 'lambda permission', resource: res('P', 'AWS::Lambda::Permission') },
    { name: 'security group rule', resource: res('I', 'AWS::EC2::SecurityGroupIngress') },
  ],
});
