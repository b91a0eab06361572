import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  Environment,
  Operation,
  StackyardPreviewSignal,
  StackyardSignal,
  stackyardEntityChannel,
  stackyardPreviewChannel,
} from '@stackyard/plugin-stackyard-common';

/** Tells browsers that an environment or operation changed. */
export interface EnvironmentNotifier {
  environmentChanged(environment: Environment): Promise<void>;
  operationChanged(
    environment: Environment,
    operation: Operation,
  ): Promise<void>;
  /** A local preview's logs, state or counts changed (callers throttle). */
  previewChanged?(environmentId: string): Promise<void>;
}

/**
 * {@link EnvironmentNotifier} over Backstage signals: one channel per entity
 * ({@link stackyardEntityChannel}); messages carry ids and states only, so
 * clients refetch through the permission-checked API. A failed publish is
 * logged, never fails the operation.
 */
export class SignalsEnvironmentNotifier implements EnvironmentNotifier {
  static create(options: {
    signals: SignalsService;
    logger: LoggerService;
  }): SignalsEnvironmentNotifier {
    return new SignalsEnvironmentNotifier(options.signals, options.logger);
  }

  private constructor(
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
  ) {}

  environmentChanged(environment: Environment): Promise<void> {
    return this.publish(environment.entityRef, {
      kind: 'environment',
      environmentId: environment.id,
      status: environment.status,
    });
  }

  operationChanged(
    environment: Environment,
    operation: Operation,
  ): Promise<void> {
    return this.publish(environment.entityRef, {
      kind: 'operation',
      environmentId: environment.id,
      operationId: operation.id,
      status: operation.state,
    });
  }

  async previewChanged(environmentId: string): Promise<void> {
    const message: StackyardPreviewSignal = { kind: 'preview', environmentId };
    try {
      await this.signals.publish({
        recipients: { type: 'broadcast' },
        channel: stackyardPreviewChannel(environmentId),
        message,
      });
    } catch (error) {
      this.logger.warn(
        `Could not publish a preview update for ${environmentId}: ${error}`,
      );
    }
  }

  private async publish(entityRef: string, message: StackyardSignal) {
    try {
      await this.signals.publish({
        recipients: { type: 'broadcast' },
        channel: stackyardEntityChannel(entityRef),
        message,
      });
    } catch (error) {
      this.logger.warn(
        `Could not publish a live update for ${entityRef}: ${error}`,
      );
    }
  }
}
