import type { Config } from '@backstage/config';
import { readStageList } from './checks';

/** The default of `stackyard.protectedStages`. */
export const DEFAULT_PROTECTED_STAGES: readonly string[] = [
  'prod',
  'production',
];

const lower = (stage: string) => stage.toLocaleLowerCase('en-US');

/**
 * Reads `stackyard.protectedStages`, lower-cased: protection never depends on
 * how a stage is capitalised.
 */
export function readProtectedStages(config: Config): string[] {
  const stages =
    readStageList(
      config,
      'stackyard.protectedStages',
      'stackyard.protectedStages',
    ) ?? DEFAULT_PROTECTED_STAGES;
  return stages.map(lower);
}

/**
 * Whether environments of `stage` are never torn down. Compares without
 * regard to case, so `Prod` is as protected as `prod`.
 */
export function isProtectedStage(
  config: { readonly protectedStages: readonly string[] },
  stage: string,
): boolean {
  const wanted = lower(stage);
  return config.protectedStages.some(p => lower(p) === wanted);
}
