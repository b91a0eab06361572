export interface Config {
  /** Stackyard: environments of catalog entities as CloudFormation stacks. */
  stackyard?: {
    /**
     * Where `stackyard:cdk:deploy` may deploy. Default: one `local` target,
     * which needs no AWS (environments are recorded as local previews, not
     * deployed to AWS). AWS credentials come from `aws.accounts`.
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
      /**
       * For testing against an AWS-compatible endpoint (e.g. LocalStack or a
       * loopback test server): every AWS call of a deploy to this target goes
       * to this `http:` or `https:` URL instead of AWS. Only for `aws` targets.
       * @default AWS's own endpoints
       */
      endpoint?: string;
      /**
       * The stages this target accepts, e.g. `[dev, preview]`.
       * @default every stage
       */
      stages?: string[];
    }>;
    /** Stages whose environments are never torn down. @default ['prod', 'production'] */
    protectedStages?: string[];
    /** Settings of the scaffolder actions. */
    scaffolder?: {
      /**
       * Directory under which `stackyard:publish:local` creates git
       * repositories (`<directory>/<name>`). Relative paths are relative
       * to the backend's working directory.
       * @default - the action is refused until this is set
       */
      localPublishDirectory?: string;
      /**
       * Base URL of the portal's frontend, used for links to an entity's
       * Infra tab. @default app.baseUrl
       */
      portalBaseUrl?: string;
      /**
       * How long `stackyard:catalog:register-local` waits, after asking the
       * catalog to refresh the new entity, for the catalog to serve it, in
       * seconds (0 to 600; 0 does not wait). The catalog processes a new
       * location asynchronously (seconds on PostgreSQL); when the entity is
       * not readable in time the task says so instead of linking to it.
       * @default 30
       */
      catalogWaitSeconds?: number;
    };
  };
}
