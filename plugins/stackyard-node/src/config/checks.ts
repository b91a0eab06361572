import type { Config } from '@backstage/config';
import { quoteValue, validateStage } from '@stackyard/plugin-stackyard-common';

/** An error naming the key's path and quoting its value. */
export function configError(path: string, value: unknown, problem: string) {
  return new Error(`${path}: ${quoteValue(value)} ${problem}`);
}

/** Reads a list of stage names, each checked with the stage naming rules. */
export function readStageList(
  config: Config,
  key: string,
  path: string,
): string[] | undefined {
  const stages = config.getOptionalStringArray(key);
  stages?.forEach((stage, index) => {
    const problems = validateStage(stage);
    if (problems.length > 0) {
      throw new Error(`${path}[${index}]: ${problems.join('; ')}`);
    }
  });
  return stages;
}
