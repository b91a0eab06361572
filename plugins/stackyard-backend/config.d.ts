import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /**
   * Stackyard: environments of catalog entities as CloudFormation stacks.
   * The shared keys (`targets`, `protectedStages`) are declared once, in
   * `@stackyard/plugin-stackyard-node`; only the backend's own keys are here.
   */
  stackyard?: {
    reconciler?: {
      /**
       * How often environments are compared with AWS; always runs once
       * across replicas (global scope).
       * @default { frequency: { minutes: 1 }, timeout: { minutes: 5 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    operations?: {
      /**
       * How often running operations are followed (events, completion).
       * @default { frequency: { seconds: 10 }, timeout: { minutes: 2 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Seconds a claimed teardown may wait for DeleteStack before it counts as interrupted. @default 120 */
      pendingGraceSeconds?: number;
      /** Minutes a deploy may run without a registered result. @default 180 */
      deployTimeoutMinutes?: number;
    };
    previews?: {
      /** Longest expiry extension of a preview, in hours. @default 168 */
      maxExtensionHours?: number;
      /**
       * Lifetime, in hours from the stack's creation, of a discovered stack
       * of an ephemeral stage tagged `stackyard:ttl-hours=default` (a
       * manifest stage may set its own `ttlHours`, recorded in that tag).
       * @default 72
       */
      defaultTtlHours?: number;
    };
    events?: {
      /** Stack events kept per environment. @default 500 */
      retentionPerEnvironment?: number;
    };
    /** Preview sockets: WebSocket APIs of local environments hosted at `/api/stackyard/sockets/<environment id>/<stage>`. */
    sockets?: {
      /** Frames kept per API in the inspector's ring buffer. @default 200 */
      recentFrames?: number;
      /** Seconds to wait for the replica holding a connection to answer an `@connections` call passed over the events bus. @default 5 */
      remoteTimeoutSeconds?: number;
    };
    aws?: {
      /** Attempts per AWS call, including the first. @default 5 */
      maxAttempts?: number;
      /** First retry delay in ms, doubled per retry (throttling, 5xx). @default 200 */
      retryBaseDelayMs?: number;
    };
  };
}
