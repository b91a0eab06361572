/** The environment variables the CLI reads. */
export type CliEnv = Readonly<Record<string, string | undefined>>;

const nonEmpty = (value: string | undefined) =>
  value !== undefined && value.trim() !== '' ? value.trim() : undefined;

/**
 * The branch being built, from the CI's environment: GitHub Actions
 * (`GITHUB_HEAD_REF` for pull requests, `GITHUB_REF_NAME` otherwise) or
 * GitLab CI (`CI_COMMIT_REF_NAME`).
 */
export function ciBranch(env: CliEnv): string | undefined {
  return (
    nonEmpty(env.GITHUB_HEAD_REF) ??
    nonEmpty(env.GITHUB_REF_NAME) ??
    nonEmpty(env.CI_COMMIT_REF_NAME)
  );
}

/** The commit being built: `GITHUB_SHA` or GitLab's `CI_COMMIT_SHA`. */
export function ciCommit(env: CliEnv): string | undefined {
  return nonEmpty(env.GITHUB_SHA) ?? nonEmpty(env.CI_COMMIT_SHA);
}
