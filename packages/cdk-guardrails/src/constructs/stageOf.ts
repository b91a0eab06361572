import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { BUILT_IN_STAGES, StageConfig } from '../stages/stageConfig';

const STAGE_CONFIG = Symbol.for('@stackyard/cdk-guardrails.StageConfig');

/** Records the stage config of a stack, for the constructs inside it. */
export function setStageConfig(stack: Stack, config: StageConfig): void {
  Object.defineProperty(stack, STAGE_CONFIG, {
    value: config,
    enumerable: false,
  });
}

/**
 * The stage config of the stack `scope` is in; production (the strictest)
 * when the stack is not a ServiceStack.
 */
export function stageConfigOf(scope: IConstruct): StageConfig {
  const stack = Stack.of(scope) as unknown as Record<symbol, unknown>;
  return (stack[STAGE_CONFIG] as StageConfig | undefined) ?? BUILT_IN_STAGES.prod;
}
