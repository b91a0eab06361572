import { mockServices } from '@backstage/backend-test-utils';
import type {
  Environment,
  Operation,
} from '@stackyard/plugin-stackyard-common';
import { SignalsEnvironmentNotifier } from './EnvironmentNotifier';

describe('SignalsEnvironmentNotifier', () => {
  const environment = {
    id: 'env-1',
    entityRef: 'component:default/orders',
    status: 'deleting',
  } as Environment;

  it('publishes on the entity channel with ids and states only', async () => {
    const publish = jest.fn().mockResolvedValue(undefined);
    const notifier = SignalsEnvironmentNotifier.create({
      signals: { publish },
      logger: mockServices.logger.mock(),
    });
    await notifier.operationChanged(environment, {
      id: 'op-1',
      state: 'running',
    } as Operation);
    expect(publish).toHaveBeenCalledWith({
      recipients: { type: 'broadcast' },
      channel: 'stackyard:entity:component:default/orders',
      message: {
        kind: 'operation',
        environmentId: 'env-1',
        operationId: 'op-1',
        status: 'running',
      },
    });
  });

  it("publishes a preview's changes on the preview's channel, its id only", async () => {
    const publish = jest.fn().mockResolvedValue(undefined);
    const notifier = SignalsEnvironmentNotifier.create({
      signals: { publish },
      logger: mockServices.logger.mock(),
    });
    await notifier.previewChanged('env-1');
    expect(publish).toHaveBeenCalledWith({
      recipients: { type: 'broadcast' },
      channel: 'stackyard:preview:env-1',
      message: { kind: 'preview', environmentId: 'env-1' },
    });
  });

  it('logs instead of failing when publishing fails', async () => {
    const logger = mockServices.logger.mock();
    const notifier = SignalsEnvironmentNotifier.create({
      signals: { publish: jest.fn().mockRejectedValue(new Error('bus down')) },
      logger,
    });
    await expect(
      notifier.environmentChanged(environment),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('bus down'),
    );
  });
});
