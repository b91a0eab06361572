import { mockCredentials } from '@backstage/backend-test-utils';
import type { StoredCostEstimate } from '@stackyard/plugin-stackyard-common';
import { logCostEstimate } from './costEstimate';
import type { StackyardEnvironments } from './environments';

const request = {
  entityRef: 'component:default/orders',
  target: 'sandbox',
  stage: 'dev',
  template: { Resources: { Nat: { Type: 'AWS::EC2::NatGateway' } } },
};
const initiator = mockCredentials.user('user:default/ada');

function environments(
  estimateCost?: StackyardEnvironments['estimateCost'],
): StackyardEnvironments {
  return {
    registerDeployment: jest.fn(),
    findEnvironment: jest.fn(),
    requestTeardown: jest.fn(),
    ...(estimateCost ? { estimateCost } : {}),
  };
}

describe('logCostEstimate', () => {
  it("logs the backend's estimate, asked on the initiator's behalf", async () => {
    const estimateCost = jest.fn(
      async (): Promise<StoredCostEstimate> => ({
        stage: 'dev',
        target: 'sandbox',
        estimatedAt: '2026-11-30T00:00:00.000Z',
        estimate: {
          region: 'eu-west-1',
          currency: 'USD',
          monthlyUsd: 35.04,
          lineItems: [],
          unpriced: [],
          summary:
            'Estimated fixed cost: $35.04/month in eu-west-1 (NAT gateway 1 × $35.04)',
        },
      }),
    );
    const logger = { info: jest.fn(), warn: jest.fn() };
    await logCostEstimate({
      environments: environments(estimateCost),
      request,
      initiator,
      logger,
    });
    expect(estimateCost).toHaveBeenCalledWith(request, initiator);
    expect(logger.info).toHaveBeenCalledWith(
      'Estimated fixed cost: $35.04/month in eu-west-1 (NAT gateway 1 × $35.04)',
    );
  });

  it('warns and goes on when the estimate cannot be made', async () => {
    const logger = { info: jest.fn(), warn: jest.fn() };
    await logCostEstimate({
      environments: environments(async () => {
        throw new Error(
          'No AWS account to ask prices with for the local target "local"',
        );
      }),
      request,
      initiator,
      logger,
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'Cost not estimated: No AWS account to ask prices with for the local target "local"',
    );
    expect(logger.info).not.toHaveBeenCalled();
  });
});
