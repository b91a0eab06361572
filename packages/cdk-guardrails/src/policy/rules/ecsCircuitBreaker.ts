import { literalTrue, show } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';

/** ECS deployments that fail roll back by themselves. */
export const ecsCircuitBreaker: PolicyRule = {
  id: 'SY-ECS-CIRCUIT-BREAKER',
  severity: 'error',
  description:
    'ECS services deployed by ECS have the deployment circuit breaker on with rollback',
  evaluate(resource) {
    if (resource.type !== 'AWS::ECS::Service') {
      return notApplicable;
    }
    const controller = (resource.properties.DeploymentController as { Type?: unknown } | undefined)?.Type;
    // CodeDeploy and external controllers run deployments of their own.
    if (controller !== undefined && controller !== 'ECS') {
      return notApplicable;
    }
    const breaker = (resource.properties.DeploymentConfiguration as
      | { DeploymentCircuitBreaker?: { Enable?: unknown; Rollback?: unknown } }
      | undefined)?.DeploymentCircuitBreaker;
    if (!literalTrue(breaker?.Enable) || !literalTrue(breaker?.Rollback)) {
      return nonCompliant(
        `DeploymentConfiguration.DeploymentCircuitBreaker is ${
          breaker === undefined ? 'not set' : show(breaker)
        }: set Enable and Rollback to true so a failed deployment rolls back`,
      );
    }
    return compliant;
  },
};
