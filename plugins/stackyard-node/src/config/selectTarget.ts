import { InputError } from '@backstage/errors';
import {
  quoteValue,
  targetStageProblem,
} from '@stackyard/plugin-stackyard-common';
import type { Target } from './targets';

/**
 * Picks a configured target by name and checks that it accepts the stage.
 * Throws an `InputError` (a request's mistake, not the server's) otherwise.
 */
export function selectTarget(
  config: { readonly targets: ReadonlyMap<string, Target> },
  name: string,
  stage: string,
): Target {
  const target = config.targets.get(name);
  if (!target) {
    throw new InputError(
      `target ${quoteValue(name)} is not configured; configured targets: ${[
        ...config.targets.keys(),
      ].join(', ')}`,
    );
  }
  const problem = targetStageProblem(target, stage);
  if (problem) throw new InputError(problem);
  return target;
}
