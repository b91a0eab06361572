import type { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  Approval,
  ApprovalDecisionResponse,
  approvalDecisionRequestSchema,
} from '@stackyard/plugin-stackyard-common';
import type { Router } from 'express';
import { idSchema, parseInput } from '../service/validation';
import type { ApprovalService } from './ApprovalService';

/** `GET` and `POST /environments/{id}/approval`. */
export function addApprovalRoutes(
  router: Router,
  options: { httpAuth: HttpAuthService; approvals: ApprovalService },
) {
  const { httpAuth, approvals } = options;
  const credentials = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/environments/:id/approval', async (req, res) => {
    await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const body: Approval = await approvals.get(id);
    res.json(body);
  });

  router.post('/environments/:id/approval', async (req, res) => {
    const caller = await credentials(req);
    const id = parseInput(idSchema, req.params.id, 'environment id');
    const decision = parseInput(
      approvalDecisionRequestSchema,
      req.body,
      'approval decision',
    );
    const body: ApprovalDecisionResponse = await approvals.decide({
      environmentId: id,
      decision,
      credentials: caller,
      request: req,
    });
    res.json(body);
  });
}
