import { Config } from '@backstage/config';

/** A configured place environments run: an AWS account/region, or local. */
export type Target =
  | { name: string; type: 'local' }
  | {
      name: string;
      type: 'aws';
      accountId: string;
      region: string;
      /** A custom AWS endpoint (LocalStack, tests); default: AWS's own. */
      endpoint?: string;
    };

const NAME = /^[a-z][-a-z0-9]{0,62}$/;

/**
 * Reads `stackyard.targets`. Without any, the only target is `local`, which
 * needs no AWS.
 */
export function readTargets(config: Config): Map<string, Target> {
  const targets = new Map<string, Target>();
  const entries = config.getOptionalConfigArray('stackyard.targets');
  if (!entries) {
    targets.set('local', { name: 'local', type: 'local' });
    return targets;
  }
  for (const entry of entries) {
    const name = entry.getString('name');
    if (!NAME.test(name)) {
      throw new Error(
        `stackyard.targets: name "${name}" must be lower-case letters, digits and hyphens, starting with a letter`,
      );
    }
    if (targets.has(name)) {
      throw new Error(`stackyard.targets: name "${name}" is used twice`);
    }
    const type = entry.getString('type');
    if (type === 'local') {
      targets.set(name, { name, type });
    } else if (type === 'aws') {
      const accountId = entry.getString('accountId');
      if (!/^\d{12}$/.test(accountId)) {
        throw new Error(
          `stackyard.targets "${name}": accountId "${accountId}" must be 12 digits`,
        );
      }
      targets.set(name, {
        name,
        type,
        accountId,
        region: entry.getString('region'),
        endpoint: entry.getOptionalString('endpoint'),
      });
    } else {
      throw new Error(
        `stackyard.targets "${name}": type "${type}" must be "aws" or "local"`,
      );
    }
  }
  return targets;
}
