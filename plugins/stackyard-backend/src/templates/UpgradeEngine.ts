/** One entity's upgrade, as the engine is asked to do it. */
export type UpgradeRequest = {
  /** The service's repository (a git work tree). */
  repoDir: string;
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
  pullRequestUrl?: string;
};

/**
 * Upgrades one repository to a newer template version: renders it with the
 * repository's recorded answers, merges it with git's three-way merge into
 * an upgrade branch, and runs the service's tests and the safety policy.
 */
export type UpgradeEngine = (request: UpgradeRequest) => Promise<UpgradeResult>;
