import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type {
  ListTargetsResponse,
  TargetSummary,
} from '@stackyard/plugin-stackyard-common';
import type { Target } from '@stackyard/plugin-stackyard-node';
import type express from 'express';

/**
 * What the API shows of a target. Built field by field rather than by
 * spreading the config object, so that nothing a target may carry now or
 * later (its test endpoint, anything secret) reaches the browser by accident.
 */
export function targetSummary(target: Target): TargetSummary {
  return {
    name: target.name,
    type: target.type,
    ...(target.type === 'aws'
      ? { accountId: target.accountId, region: target.region }
      : {}),
    ...(target.stages ? { stages: [...target.stages] } : {}),
  };
}

/**
 * `GET /targets`: every configured target and the stages it accepts, for
 * the "Create" wizard's target and stage pickers. Read from the one config
 * reader, so a target added to `stackyard.targets` appears in every
 * template with no template change.
 */
export function addTargetRoutes(
  router: express.Router,
  options: {
    httpAuth: HttpAuthService;
    targets: ReadonlyMap<string, Target>;
  },
): void {
  const { httpAuth, targets } = options;
  const answer: ListTargetsResponse = {
    items: [...targets.values()].map(targetSummary),
  };
  router.get('/targets', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(answer);
  });
}
