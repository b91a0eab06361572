import type { Config } from '@backstage/config';
import { configError } from './checks';

const GROUP_REF = /^group:[a-z0-9][-a-z0-9_.]*\/[a-z0-9][-a-z0-9_.]*$/i;

/**
 * Reads `stackyard.platform.adminGroups`: the groups whose members act for
 * the platform team (tearing down orphan stacks). Each is a full group ref,
 * lower-cased as ownership claims are. Default: none, so nobody.
 */
export function readPlatformAdminGroups(config: Config): string[] {
  return readGroupRefs(config, 'stackyard.platform.adminGroups');
}

/**
 * Reads `stackyard.approvals.approverGroups`: the groups whose members may
 * approve deploys that broaden IAM or security-group permissions (never
 * their own). Full group refs, lower-cased. Default: none, so nobody.
 */
export function readApproverGroups(config: Config): string[] {
  return readGroupRefs(config, 'stackyard.approvals.approverGroups');
}

/** A list of full group refs at `key`, lower-cased as ownership claims are. */
function readGroupRefs(config: Config, key: string): string[] {
  const groups = config.getOptionalStringArray(key) ?? [];
  return groups.map((group, index) => {
    if (!GROUP_REF.test(group)) {
      throw configError(
        `${key}[${index}]`,
        group,
        'is not a full group ref such as "group:default/platform-team"',
      );
    }
    return group.toLocaleLowerCase('en-US');
  });
}
