import { AuditorService } from '@backstage/backend-plugin-api';
import type {
  Environment,
  Operation,
} from '@stackyard/plugin-stackyard-common';
import type { EnvironmentNotifier } from '../notify/EnvironmentNotifier';

/** An auditor that keeps every event and its outcome. */
export function recordingAuditor() {
  const events: {
    eventId: string;
    meta?: unknown;
    outcome?: 'success' | 'fail';
    error?: string;
    resultMeta?: unknown;
  }[] = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      const event: (typeof events)[number] = {
        eventId: options.eventId,
        meta: options.meta,
      };
      events.push(event);
      return {
        async success(result) {
          event.outcome = 'success';
          event.resultMeta = result?.meta;
        },
        async fail(result) {
          event.outcome = 'fail';
          event.error = result.error.message;
          event.resultMeta = result.meta;
        },
      };
    },
  };
  return { auditor, events };
}

/** A notifier that keeps every message. */
export function recordingNotifier() {
  const messages: { kind: string; id: string; status: string }[] = [];
  const notifier: EnvironmentNotifier = {
    async environmentChanged(environment: Environment) {
      messages.push({
        kind: 'environment',
        id: environment.id,
        status: environment.status,
      });
    },
    async operationChanged(_environment: Environment, operation: Operation) {
      messages.push({
        kind: 'operation',
        id: operation.id,
        status: operation.state,
      });
    },
  };
  return { notifier, messages };
}
