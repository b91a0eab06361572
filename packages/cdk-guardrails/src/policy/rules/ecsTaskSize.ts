import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';

/** ECS tasks size their CPU and memory explicitly. */
export const ecsTaskSize: PolicyRule = {
  id: 'SY-ECS-TASK-SIZE',
  severity: 'error',
  description: 'ECS task definitions set task-level Cpu and Memory explicitly',
  evaluate(resource) {
    if (resource.type !== 'AWS::ECS::TaskDefinition') {
      return notApplicable;
    }
    const missing = (['Cpu', 'Memory'] as const).filter(
      key => resource.properties[key] === undefined || resource.properties[key] === '',
    );
    if (missing.length > 0) {
      return nonCompliant(
        `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: size the task explicitly (e.g. Cpu "256", Memory "512")`,
      );
    }
    return compliant;
  },
};
