// The shared keys (stackyard.targets, stackyard.protectedStages,
// stackyard.scaffolder.localPublishDirectory) are declared once, in
// @stackyard/plugin-stackyard-node's config.d.ts; only this module's own keys
// are here.
export interface Config {
  stackyard?: {
    /** Settings of the scaffolder actions. */
    scaffolder?: {
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
       * `stackyard:cdk:deploy` waits as long for the entity before checking
       * that the initiator owns it (its owners are known only once the
       * catalog has processed it), and fails saying so when it is not
       * readable in time; dry runs do not wait.
       * @default 30
       */
      catalogWaitSeconds?: number;
    };
  };
}
