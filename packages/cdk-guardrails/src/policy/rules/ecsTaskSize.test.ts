import { describeRule, res } from '../ruleHarness';
import { ecsTaskSize } from './ecsTaskSize';

describeRule(ecsTaskSize, {
  compliant: [
    { name: 'Fargate task', resource: res('T', 'AWS::ECS::TaskDefinition', { Cpu: '256', Memory: '512' }) },
    { name: 'numbers', resource: res('T', 'AWS::ECS::TaskDefinition', { Cpu: 1024, Memory: 2048 }), stage: 'dev' },
  ],
  nonCompliant: [
    {
      name: 'no size',
      resource: res('T', 'AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Name: 'app', Memory: 512 }] }),
      message: /^Cpu and Memory are not set: size the task explicitly/,
    },
    { name: 'memory only', resource: res('T', 'AWS::ECS::TaskDefinition', { Memory: '512' }), message: /^Cpu is not set/ },
  ],
  notApplicable: [
    { name: 'a service', resource: res('S', 'AWS::ECS::Service') },
  ],
});
