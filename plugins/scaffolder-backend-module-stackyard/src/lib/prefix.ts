import { InputError } from '@backstage/errors';
import {
  StackyardNameError,
  resolvePrefix,
  validatePrefix,
} from '@stackyard/plugin-stackyard-common';

/**
 * The prefix an action works with: the explicit `prefix` input when given
 * (validated), else resolved from `branch` and the manifest's project code.
 */
export function prefixFor(options: {
  prefix?: string;
  branch?: string;
  project: string;
}): string {
  try {
    if (options.prefix !== undefined && options.prefix.trim() !== '') {
      const problems = validatePrefix(options.prefix);
      if (problems.length > 0) throw new StackyardNameError(problems);
      return options.prefix;
    }
    return resolvePrefix({ project: options.project, branch: options.branch });
  } catch (e) {
    if (e instanceof StackyardNameError) throw new InputError(e.message);
    throw e;
  }
}
