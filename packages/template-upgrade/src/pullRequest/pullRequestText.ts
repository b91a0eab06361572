import { describeConflict } from '../conflicts';
import { ORIGIN_FILE } from '../origin';
import type { UpgradeResult } from '../types';

/** Conflicts listed one by one; beyond this many the rest are counted (hosts cap a body's size). */
const MAX_LISTED = 200;

/** Markdown's inline markup in repository paths and names, shown as typed. */
const escape = (text: string) => text.replace(/[\\`*_[\]<>|]/g, '\\$&');

function outcome(
  passed: boolean | null,
  conflicts: number,
  earlierRun: boolean,
): string {
  if (passed === true) return 'passed';
  if (passed === false) return '**failed** (see the task log)';
  if (conflicts > 0) return 'not run: resolve the conflicts first';
  return earlierRun
    ? "not recorded: the branch was pushed by an earlier upgrade run (see that run's task log)"
    : 'not run (turned off)';
}

/** The pull request's title. */
export function pullRequestTitle(result: UpgradeResult): string {
  return `Upgrade ${result.template} from ${result.fromVersion} to ${
    result.toVersion
  }${result.conflicts.length > 0 ? ' (conflicts to resolve)' : ''}`;
}

/**
 * The pull request's text: the version change, every conflict file by
 * file with what happened to it, the tests' and the policy's outcome, and
 * new questions that took their defaults.
 */
export function pullRequestBody(
  result: UpgradeResult,
  options: {
    /** The default branch the pull request targets. */
    base: string;
    /** The branch was pushed by an earlier run, whose checks were not recorded. */
    earlierRun?: boolean;
  },
): string {
  const { base, earlierRun = false } = options;
  const lines = [
    `Upgrades this service from its template **${escape(result.template)}** ${
      result.fromVersion
    } to **${result.toVersion}**.`,
    '',
    `The new version was rendered with the answers the repository records (\`${ORIGIN_FILE}\`), committed on the pristine branch and merged with git's three-way merge into \`${result.branch}\`. Nothing on \`${base}\` was changed.`,
    '',
  ];
  const conflicts = result.conflictDetails;
  if (conflicts.length === 0) {
    lines.push('### Conflicts', '', 'None: the merge was clean.', '');
  } else {
    lines.push(
      `### Conflicts (${conflicts.length} file${
        conflicts.length === 1 ? '' : 's'
      })`,
      '',
      'Resolve these on this branch before merging:',
      '',
      ...conflicts
        .slice(0, MAX_LISTED)
        .map(c => `- ${escape(describeConflict(c))}`),
    );
    if (conflicts.length > MAX_LISTED) {
      lines.push(
        `- … and ${
          conflicts.length - MAX_LISTED
        } more (listed in the merge commit's message)`,
      );
    }
    lines.push('');
  }
  lines.push(
    '### Checks on the merged result',
    '',
    `- The service's tests: ${outcome(
      result.testsPassed,
      conflicts.length,
      earlierRun,
    )}`,
    `- Synth and the safety policy: ${outcome(
      result.policyPassed,
      conflicts.length,
      earlierRun,
    )}`,
    '',
  );
  if (result.defaultedAnswers.length > 0) {
    lines.push(
      '### New questions answered with their defaults',
      '',
      ...result.defaultedAnswers.map(name => `- ${escape(name)}`),
      '',
    );
  }
  return lines.join('\n');
}
