import type { Config } from '@backstage/config';
import { quoteValue } from '@stackyard/plugin-stackyard-common';
import {
  type StackyardConfig,
  readStackyardConfig,
} from '@stackyard/plugin-stackyard-node';

/**
 * What the scaffolder actions read from app-config: the shared `stackyard.*`
 * settings (targets, protected stages, publish directory; read by
 * `@stackyard/plugin-stackyard-node`) and the module's own keys.
 */
export interface StackyardActionsConfig extends StackyardConfig {
  /** Base URL of the portal's frontend, without a trailing slash. */
  readonly portalBaseUrl: string;
  /**
   * How long `stackyard:catalog:register-local` waits for the catalog to
   * serve the registered entity, and `stackyard:cdk:deploy` for the entity it
   * deploys, in milliseconds; 0 does not wait.
   */
  readonly catalogWaitMs: number;
}

/** The default of `stackyard.scaffolder.catalogWaitSeconds`. */
export const DEFAULT_CATALOG_WAIT_SECONDS = 30;

/**
 * Reads the `stackyard` section of app-config. Throws with the offending key
 * and value when it is invalid, so that a misconfiguration stops the backend
 * at startup rather than a task later.
 */
export function readStackyardActionsConfig(
  config: Config,
): StackyardActionsConfig {
  const portalBaseUrl =
    config.getOptionalString('stackyard.scaffolder.portalBaseUrl') ??
    config.getOptionalString('app.baseUrl') ??
    'http://localhost:3000';
  const catalogWaitSeconds =
    config.getOptionalNumber('stackyard.scaffolder.catalogWaitSeconds') ??
    DEFAULT_CATALOG_WAIT_SECONDS;
  if (
    !Number.isFinite(catalogWaitSeconds) ||
    catalogWaitSeconds < 0 ||
    catalogWaitSeconds > 600
  ) {
    throw new Error(
      `stackyard.scaffolder.catalogWaitSeconds: ${quoteValue(
        catalogWaitSeconds,
      )} must be a number of seconds from 0 to 600`,
    );
  }
  return {
    ...readStackyardConfig(config),
    portalBaseUrl: portalBaseUrl.replace(/\/+$/, ''),
    catalogWaitMs: catalogWaitSeconds * 1000,
  };
}
