import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { EstimateCostRequest } from '@stackyard/plugin-stackyard-common';
import type { StackyardEnvironments } from './environments';

/**
 * Logs the stack's estimated monthly fixed cost to the task log, priced by
 * the backend (Price List, cached) and kept there as the stage's estimate
 * for the Infra tab. An estimate that cannot be made (no pricing account,
 * Price List throttling) is a warning: it never stops the deploy.
 */
export async function logCostEstimate(options: {
  environments: StackyardEnvironments;
  request: EstimateCostRequest;
  initiator: BackstageCredentials;
  logger: { info(message: string): void; warn(message: string): void };
}): Promise<void> {
  const { environments, request, initiator, logger } = options;
  if (!environments.estimateCost) return;
  try {
    const { estimate } = await environments.estimateCost(request, initiator);
    logger.info(estimate.summary);
  } catch (error) {
    logger.warn(`Cost not estimated: ${(error as Error).message}`);
  }
}
