import { StackyardNameError, quoteValue } from './errors';
import { validatePrefix } from './stackName';

/**
 * The branch types that get an isolated prefix by default.
 *
 * @public
 */
export const DEFAULT_ISOLATED_BRANCH_TYPES: readonly string[] = [
  'feature',
  'bug',
  'hotfix',
];

/** Longest branch name looked at; longer names fall back to the project. */
const MAX_BRANCH_LENGTH = 255;
const PROJECT_PATTERN = /^[a-z][a-z0-9]{0,31}$/;
const BRANCH_TYPE_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * Input of {@link resolvePrefix}.
 *
 * @public
 */
export interface ResolvePrefixOptions {
  /**
   * The Git branch, e.g. `feature/wo-42-add-retries`. A leading `refs/heads/`
   * is ignored.
   *
   * @default - no branch: the bare project code
   */
  readonly branch?: string;
  /**
   * The project code, e.g. `wo`: a lowercase letter, then up to 31 lowercase
   * letters or digits.
   */
  readonly project: string;
  /**
   * An explicit prefix (the `PREFIX` override). When set and not blank it
   * wins over the branch, and must itself be a valid prefix.
   *
   * @default - derived from the branch
   */
  readonly override?: string;
  /**
   * Branch types (the part before the first `/`) that get an isolated
   * `<project>-<number>` prefix.
   *
   * @default DEFAULT_ISOLATED_BRANCH_TYPES (feature, bug, hotfix)
   */
  readonly isolatedBranchTypes?: readonly string[];
}

/**
 * Where a resolved prefix came from.
 *
 * @public
 */
export type PrefixSource = 'override' | 'branch' | 'project';

/**
 * A resolved prefix and where it came from.
 *
 * @public
 */
export interface ResolvedPrefix {
  readonly prefix: string;
  readonly source: PrefixSource;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Resolves the prefix of an environment and says where it came from.
 * See {@link resolvePrefix}.
 *
 * @public
 */
export function resolvePrefixWithSource(
  options: ResolvePrefixOptions,
): ResolvedPrefix {
  const { branch, project, override } = options;
  const types = options.isolatedBranchTypes ?? DEFAULT_ISOLATED_BRANCH_TYPES;

  if (typeof project !== 'string' || !PROJECT_PATTERN.test(project)) {
    throw new StackyardNameError([
      `project code ${quoteValue(
        project,
      )} is not allowed: it must be a lowercase letter followed by at most 31 lowercase letters or digits`,
    ]);
  }
  const badTypes = types.filter(t => !BRANCH_TYPE_PATTERN.test(t));
  if (badTypes.length > 0) {
    throw new StackyardNameError(
      badTypes.map(
        t =>
          `branch type ${quoteValue(
            t,
          )} is not allowed: it must be a lowercase letter followed by lowercase letters, digits, "-" or "_"`,
      ),
    );
  }

  if (typeof override === 'string' && override.trim() !== '') {
    const problems = validatePrefix(override);
    if (problems.length > 0) {
      throw new StackyardNameError(
        problems.map(p => `override ${p.replace(/^prefix /, '')}`),
      );
    }
    return { prefix: override, source: 'override' };
  }

  if (
    typeof branch !== 'string' ||
    branch.length === 0 ||
    branch.length > MAX_BRANCH_LENGTH ||
    types.length === 0
  ) {
    return { prefix: project, source: 'project' };
  }

  const name = branch.startsWith('refs/heads/')
    ? branch.slice('refs/heads/'.length)
    : branch;
  const pattern = new RegExp(
    `^(?:${types.map(escapeRegExp).join('|')})/${escapeRegExp(
      project,
    )}-(\\d{1,10})(?:[-_/.][\\x21-\\x7e]*)?$`,
    'i',
  );
  const match = pattern.exec(name);
  if (!match) {
    return { prefix: project, source: 'project' };
  }
  return { prefix: `${project}-${Number(match[1])}`, source: 'branch' };
}

/**
 * The prefix of an environment, from which its stack name
 * (`<prefix>-<stage>`) and resource names are derived.
 *
 * - An explicit `override` wins (and must be a valid prefix).
 * - Branches `<type>/<project>-<number>[-anything]` whose type is isolated
 *   (feature, bug, hotfix by default) get `<project>-<number>`:
 *   `feature/wo-42-add-retries` → `wo-42`.
 * - Every other branch, including hostile or malformed names, gets the bare
 *   project code: `main` → `wo`.
 *
 * Throws a {@link StackyardNameError} when the project code, a branch type
 * or the override is invalid. Never runs anything.
 *
 * @public
 */
export function resolvePrefix(options: ResolvePrefixOptions): string {
  return resolvePrefixWithSource(options).prefix;
}
