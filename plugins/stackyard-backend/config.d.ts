import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Stackyard: environments of catalog entities as CloudFormation stacks. */
  stackyard?: {
    /**
     * Where environments run. Default: one `local` target, which needs no AWS
     * (environments are recorded as local previews, not deployed to AWS).
     * AWS credentials come from `aws.accounts` and never reach the browser.
     */
    targets?: Array<{
      /** Lower-case name used in deployments, e.g. `sandbox`. */
      name: string;
      /** `aws` (CloudFormation) or `local` (preview, no AWS). */
      type: 'aws' | 'local';
      /** 12-digit AWS account id; required for `aws`. */
      accountId?: string;
      /** AWS region, e.g. `eu-west-1`; required for `aws`. */
      region?: string;
      /** Custom AWS endpoint (LocalStack, tests). @default AWS's own */
      endpoint?: string;
    }>;
    /** Stages whose environments are never torn down. @default ['prod', 'production'] */
    protectedStages?: string[];
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
