/** One entity's upgrade, as the engine is asked to do it. */
export type UpgradeRequest = {
  /** The service's repository, when published locally (a git work tree). */
  repoDir?: string;
  /** Or its repository on GitHub/GitLab (the entity's source location): upgraded through a pull request. */
  repoUrl?: string;
  /** The template's folder (its template.yaml, skeleton and versions). */
  templateDir: string;
  templateName: string;
  /** The version to upgrade to: the template's current one. */
  toVersion: string;
  /** Reports a step as it starts, e.g. "Rendering 1.1.0". */
  onProgress: (step: string) => void;
};

/** What an upgrade left behind. */
export type UpgradeResult = {
  /** The branch the new version was merged into. */
  branch: string;
  /** Files with conflict markers on that branch. */
  conflicts: string[];
  testsPassed?: boolean;
  policyPassed?: boolean;
  /** The pull (merge) request of the branch, for a repository on GitHub/GitLab. */
  pullRequestUrl?: string;
};

/**
 * Upgrades one repository to a newer template version: renders it with the
 * repository's recorded answers, merges it with git's three-way merge into
 * an upgrade branch, and runs the service's tests and the safety policy.
 */
export type UpgradeEngine = {
  (request: UpgradeRequest): Promise<UpgradeResult>;
  /**
   * Whether the engine upgrades the repository at this URL (a GitHub or
   * GitLab host with an integration); without it, only locally published
   * repositories are upgraded.
   */
  hostedRepositories?: (url: string) => boolean;
};
