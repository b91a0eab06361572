import type { Config } from '@backstage/config';
import { configError, readStageList } from './checks';
import { endpointProblem } from './endpoint';

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
   * An AWS-compatible endpoint (LocalStack, a loopback test server) that
   * every AWS call for this target goes to; default: AWS's own.
   */
  readonly endpoint?: string;
  /** Stages the target accepts; undefined means every stage. */
  readonly stages?: readonly string[];
}

/** A configured place environments run: an AWS account/region, or local. */
export type Target = LocalTarget | AwsTarget;

/** The targets when `stackyard.targets` is absent: the embedded local target. */
export const DEFAULT_TARGETS: readonly Target[] = [
  { name: 'local', type: 'local' },
];

const TARGET_NAME = /^[a-z][-a-z0-9]{0,62}$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function readTarget(entry: Config, where: string): Target {
  const name = entry.getString('name');
  if (!TARGET_NAME.test(name)) {
    throw configError(
      `${where}.name`,
      name,
      'must be lower-case letters, digits and hyphens, starting with a letter',
    );
  }
  const type = entry.getString('type');
  const stages = readStageList(entry, 'stages', `${where}.stages`);
  if (type === 'local') {
    return { name, type, stages };
  }
  if (type !== 'aws') {
    throw configError(`${where}.type`, type, 'must be "aws" or "local"');
  }
  const accountId = entry.getString('accountId');
  if (!ACCOUNT_ID.test(accountId)) {
    throw configError(`${where}.accountId`, accountId, 'must be 12 digits');
  }
  const region = entry.getString('region');
  if (!REGION.test(region)) {
    throw configError(
      `${where}.region`,
      region,
      'is not an AWS region, such as "eu-west-1"',
    );
  }
  const endpoint = entry.getOptionalString('endpoint');
  const problem =
    endpoint === undefined ? undefined : endpointProblem(endpoint);
  if (problem) {
    throw configError(`${where}.endpoint`, endpoint, problem);
  }
  return {
    name,
    type,
    accountId,
    region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    stages,
  };
}

/**
 * Reads `stackyard.targets`, by name in configuration order. Without any,
 * the only target is `local`, which needs no AWS. Throws naming the key's
 * path (`stackyard.targets[<index>].<key>`) and quoting the bad value.
 */
export function readTargets(config: Config): Map<string, Target> {
  const targets = new Map<string, Target>();
  const entries = config.getOptionalConfigArray('stackyard.targets');
  if (!entries) {
    for (const target of DEFAULT_TARGETS) targets.set(target.name, target);
    return targets;
  }
  entries.forEach((entry, index) => {
    const where = `stackyard.targets[${index}]`;
    const target = readTarget(entry, where);
    if (targets.has(target.name)) {
      throw configError(`${where}.name`, target.name, 'is used twice');
    }
    targets.set(target.name, target);
  });
  return targets;
}
