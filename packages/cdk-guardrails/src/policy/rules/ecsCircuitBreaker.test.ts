import { describeRule, res } from '../ruleHarness';
import { ecsCircuitBreaker } from './ecsCircuitBreaker';

const breaker = (b: Record<string, unknown>) => ({ DeploymentConfiguration: { DeploymentCircuitBreaker: b } });

describeRule(ecsCircuitBreaker, {
  compliant: [
    { name: 'breaker with rollback', resource: res('S', 'AWS::ECS::Service', breaker({ Enable: true, Rollback: true })) },
    {
      name: 'ECS controller named',
      resource: res('S', 'AWS::ECS::Service', { ...breaker({ Enable: true, Rollback: true }), DeploymentController: { Type: 'ECS' } }),
      stage: 'dev',
    },
  ],
  nonCompliant: [
    {
      name: 'no breaker',
      resource: res('S', 'AWS::ECS::Service'),
      message: /^DeploymentConfiguration.DeploymentCircuitBreaker is not set: set Enable and Rollback to true/,
    },
    {
      name: 'breaker without rollback',
      resource: res('S', 'AWS::ECS::Service', breaker({ Enable: true, Rollback: false })),
      message: /is \{"Enable":true,"Rollback":false\}/,
    },
  ],
  notApplicable: [
    { name: 'CodeDeploy blue/green', resource: res('S', 'AWS::ECS::Service', { DeploymentController: { Type: 'CODE_DEPLOY' } }) },
    { name: 'a task definition', resource: res('T', 'AWS::ECS::TaskDefinition') },
  ],
});
