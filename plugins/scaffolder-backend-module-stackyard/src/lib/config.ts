import { resolve } from 'path';
import type { Config } from '@backstage/config';
import { quoteValue, validateStage } from '@stackyard/plugin-stackyard-common';
import { parseEndpoint } from '../deploy/endpointAgent';

/** The local target: synth + policy, recorded as a preview, never deployed to AWS. */
export interface LocalTarget {
  readonly name: string;
  readonly type: 'local';
  /** Stages the target accepts; undefined means every stage. */
  readonly stages?: readonly string[];
}

/** An AWS account and region that CloudFormation deploys to. */
export interface AwsTarget {
  readonly name: string;
  readonly type: 'aws';
  readonly accountId: string;
  readonly region: string;
  /**
   * An AWS-compatible endpoint that every AWS call of a deploy goes to, for
   * testing against an AWS-compatible endpoint; default: AWS's own.
   */
  readonly endpoint?: string;
  /** Stages the target accepts; undefined means every stage. */
  readonly stages?: readonly string[];
}

/** A configured place environments run. */
export type Target = LocalTarget | AwsTarget;

/** What the scaffolder actions read from app-config. */
export interface StackyardActionsConfig {
  /** Targets by name, in configuration order. */
  readonly targets: ReadonlyMap<string, Target>;
  /** Stages whose environments are never torn down. */
  readonly protectedStages: readonly string[];
  /** Absolute directory for `stackyard:publish:local`, when configured. */
  readonly localPublishDirectory?: string;
  /** Base URL of the portal's frontend, without a trailing slash. */
  readonly portalBaseUrl: string;
  /**
   * How long `stackyard:catalog:register-local` waits for the catalog to
   * serve the registered entity, in milliseconds; 0 does not wait.
   */
  readonly catalogWaitMs: number;
}

const TARGET_NAME = /^[a-z][-a-z0-9]{0,62}$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The default when `stackyard.targets` is absent: the embedded local target. */
export const DEFAULT_TARGETS: readonly Target[] = [
  { name: 'local', type: 'local' },
];

/** The default of `stackyard.scaffolder.catalogWaitSeconds`. */
export const DEFAULT_CATALOG_WAIT_SECONDS = 30;

/** The default of `stackyard.protectedStages`. */
export const DEFAULT_PROTECTED_STAGES: readonly string[] = [
  'prod',
  'production',
];

function readStages(entry: Config, where: string): string[] | undefined {
  const stages = entry.getOptionalStringArray('stages');
  if (stages === undefined) {
    return undefined;
  }
  const problems = stages.flatMap(s => validateStage(s));
  if (problems.length > 0) {
    throw new Error(`${where}: ${problems.join('; ')}`);
  }
  return stages;
}

/**
 * Reads the `stackyard` section of app-config. Throws with the offending key
 * and value when it is invalid, so that a misconfiguration stops the backend
 * at startup rather than a task later.
 */
export function readStackyardActionsConfig(
  config: Config,
): StackyardActionsConfig {
  const targets = new Map<string, Target>();
  const entries = config.getOptionalConfigArray('stackyard.targets');
  if (!entries) {
    for (const t of DEFAULT_TARGETS) targets.set(t.name, t);
  } else {
    for (const [index, entry] of entries.entries()) {
      const name = entry.getString('name');
      const where = `stackyard.targets[${index}]`;
      if (!TARGET_NAME.test(name)) {
        throw new Error(
          `${where}: name ${quoteValue(
            name,
          )} must be lower-case letters, digits and hyphens, starting with a letter`,
        );
      }
      if (targets.has(name)) {
        throw new Error(`${where}: name ${quoteValue(name)} is used twice`);
      }
      const type = entry.getString('type');
      const stages = readStages(entry, where);
      if (type === 'local') {
        targets.set(name, { name, type, stages });
      } else if (type === 'aws') {
        const accountId = entry.getString('accountId');
        if (!ACCOUNT_ID.test(accountId)) {
          throw new Error(
            `${where}: accountId ${quoteValue(accountId)} must be 12 digits`,
          );
        }
        const region = entry.getString('region');
        if (!REGION.test(region)) {
          throw new Error(
            `${where}: region ${quoteValue(
              region,
            )} is not an AWS region name such as "eu-west-1"`,
          );
        }
        const endpoint = entry.getOptionalString('endpoint');
        if (endpoint !== undefined) {
          try {
            parseEndpoint(endpoint);
          } catch (e) {
            throw new Error(`${where}: ${(e as Error).message}`);
          }
        }
        targets.set(name, {
          name,
          type,
          accountId,
          region,
          ...(endpoint !== undefined ? { endpoint } : {}),
          stages,
        });
      } else {
        throw new Error(
          `${where}: type ${quoteValue(type)} must be "aws" or "local"`,
        );
      }
    }
  }
  const dir = config.getOptionalString(
    'stackyard.scaffolder.localPublishDirectory',
  );
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
    targets,
    protectedStages:
      config.getOptionalStringArray('stackyard.protectedStages') ??
      DEFAULT_PROTECTED_STAGES,
    localPublishDirectory: dir ? resolve(dir) : undefined,
    portalBaseUrl: portalBaseUrl.replace(/\/+$/, ''),
    catalogWaitMs: catalogWaitSeconds * 1000,
  };
}
