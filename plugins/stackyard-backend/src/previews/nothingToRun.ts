import { ConflictError } from '@backstage/errors';
import type { StartPreview } from './runtime';

const keys = (value: unknown) =>
  value && typeof value === 'object' ? Object.keys(value) : [];

/**
 * A runner hosts a service's functions (with their tables and queues): a
 * service with none, such as one of containers only, has nothing to run, so
 * no runner is started and the refusal says why (its containers, databases
 * and caches are synthesized and checked, never run locally).
 */
export function refuseNothingToRun(start: StartPreview): StartPreview {
  return options => {
    const manifest = options.manifest as Record<string, unknown> | undefined;
    if (keys(manifest?.functions).length > 0) return start(options);
    const notRun = (['containers', 'databases', 'caches'] as const)
      .filter(kind => keys(manifest?.[kind]).length > 0)
      .map(kind => `${kind} ${keys(manifest?.[kind]).join(', ')}`);
    return Promise.reject(
      new ConflictError(
        `Nothing to run: the service has no functions, and a local preview runs functions only${
          notRun.length > 0
            ? ` (its ${notRun.join('; ')} are not run locally)`
            : ''
        }`,
      ),
    );
  };
}
