import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** Stackyard: environments of catalog entities as CloudFormation stacks. */
  stackyard?: {
    /**
     * Where environments run and `stackyard:cdk:deploy` may deploy. Default:
     * one `local` target, which needs no AWS (environments are recorded as
     * local previews, not deployed to AWS). AWS credentials come from
     * `aws.accounts` and never reach the browser.
     */
    targets?: Array<{
      /** Lower-case letters, digits and hyphens, starting with a letter, e.g. `sandbox`; unique. */
      name: string;
      /** `aws` (CloudFormation) or `local` (preview, no AWS). */
      type: 'aws' | 'local';
      /** 12-digit AWS account id; required for `aws`. */
      accountId?: string;
      /** AWS region, e.g. `eu-west-1`; required for `aws`. */
      region?: string;
      /**
       * For testing against an AWS-compatible endpoint (e.g. LocalStack or a
       * loopback test server): every AWS call for this target goes to this
       * `http:` or `https:` URL (no path, query or credentials) instead of
       * AWS. Only for `aws` targets.
       * @default AWS's own endpoints
       */
      endpoint?: string;
      /**
       * The stages this target accepts, e.g. `[dev, preview]`; each follows
       * the stage naming rules.
       * @default every stage
       */
      stages?: string[];
    }>;
    /**
     * Stages whose environments are never torn down, compared without regard
     * to case (`Prod` is protected by `prod`).
     * @default ['prod', 'production']
     */
    protectedStages?: string[];
    /** The platform team's view of every environment and orphan stack. */
    platform?: {
      /**
       * Group refs, e.g. `group:default/platform-team`, whose members may
       * tear down orphan stacks (stacks with Stackyard tags that no catalog
       * entity owns): the shipped permission policy grants them
       * `stackyard.orphan.delete`.
       * @default [] (nobody)
       */
      adminGroups?: string[];
    };
    /** Reviewed approvals of deploys that broaden permissions. */
    approvals?: {
      /**
       * Group refs, e.g. `group:default/security-reviewers`, whose members
       * may approve or reject a deploy whose change set broadens IAM or
       * security-group permissions: the shipped permission policy grants
       * them `stackyard.deploy.approve`. The person who started a deploy
       * never approves it, even as a member.
       * @default [] (nobody)
       */
      approverGroups?: string[];
    };
    /** Local previews: the runner process each `local` environment runs in. */
    previews?: {
      /** Minutes a preview may stay unused before its runner stops (it starts again on use). @default 15 */
      idleMinutes?: number;
      /** Previews running at once, at most; starting one more is refused with 429. @default 5 */
      maxRunning?: number;
      /** Heap cap of each preview's runner, in MiB. @default 128 */
      memoryMb?: number;
      /**
       * Directory of each preview's checkout and data (`<dir>/<environment
       * id>`), removed at teardown. Relative paths are relative to the
       * backend's working directory.
       * @default <os temp dir>/stackyard-previews
       */
      dataDirectory?: string;
      /**
       * Multiplies the queues' visibility timeouts and delays (0.001 to 1),
       * so a preview shows a redelivery, or a job reaching its dead-letter
       * queue, sooner than the deployed queue would; e.g. 0.01 for tests.
       * @default 1
       */
      queueTimeScale?: number;
    };
    /** Drift checks (CloudFormation drift detection) of aws environments. */
    drift?: {
      /**
       * Checks run on a schedule besides on request: `frequency` for every
       * aws target, `targets.<name>.frequency` for one (overriding it). At
       * least 5 minutes. Without either, drift is checked only on request.
       */
      schedule?: {
        frequency?: HumanDuration | string;
        targets?: {
          [targetName: string]: { frequency: HumanDuration | string };
        };
      };
      /**
       * Drift detections running at once in one AWS account, on request and
       * scheduled together; more are refused (409) or wait for the next run.
       * @default 2
       */
      maxConcurrentPerAccount?: number;
    };
    /** Cost: estimates before deploy (Price List), actual cost after (Cost Explorer). */
    cost?: {
      /**
       * Refreshes actual costs of every aws account on a schedule (one Cost
       * Explorer call per account per refresh, more only for its pages); at
       * least 1 hour. Without it, actual costs are not read. Local targets
       * have no cost.
       */
      schedule?: { frequency: HumanDuration | string };
      /**
       * How long a Price List price is reused before it is asked again.
       * @default 24
       */
      priceCacheHours?: number;
      /**
       * An aws target whose account (and endpoint) asks the Price List for
       * estimates of stages deployed to local targets, in its region.
       * @default - local stages are not estimated
       */
      pricingTarget?: string;
    };
    scaffolder?: {
      /**
       * Directory under which `stackyard:publish:local` creates git
       * repositories (`<directory>/<name>`), and the only place the catalog's
       * `stackyard-local` locations may read from. Relative paths are
       * relative to the backend's working directory.
       * @default - local publishing is refused until this is set
       */
      localPublishDirectory?: string;
    };
  };
}
