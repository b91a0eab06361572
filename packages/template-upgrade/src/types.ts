import type { SandboxPool } from '@stackyard/cdk-guardrails';

/** What `.stackyard/template.json` records about a generated repository. */
export interface TemplateOrigin {
  /** The template's `metadata.name`. */
  readonly template: string;
  /** The template version the repository was generated from (or last upgraded to). */
  readonly version: string;
  /** The non-secret form answers the template's render step used. */
  readonly answers: Record<string, unknown>;
}

/** One step of an upgrade, for progress reporting. */
export type UpgradeStage =
  | 'read'
  | 'render'
  | 'merge'
  | 'policy'
  | 'tests'
  | 'push';

/** A file the merge could not settle: left with conflict markers, or kept deleted. */
export interface UpgradeConflict {
  readonly path: string;
  /**
   * `content`: both changed the same lines (markers in the file); `added`:
   * both added the file (markers); `deleted`: the service deleted a file the
   * new version changes (kept deleted); `removed`: the new version removes a
   * file the service changed (the service's file kept).
   */
  readonly kind: 'content' | 'deleted' | 'removed' | 'added';
}

/** What an upgrade is about to change, as {@link UpgradeServiceOptions.authorize} is asked. */
export interface UpgradeSubject {
  /** The template the repository was made from (its origin record). */
  readonly template: string;
  /** The version the repository is on. */
  readonly fromVersion: string;
  /** The version it would be upgraded to. */
  readonly toVersion: string;
  /** The entity the default branch's catalog-info.yaml describes, if any (`kind:namespace/name`). */
  readonly entityRef?: string;
}

/** Options of {@link upgradeService}. */
export interface UpgradeServiceOptions {
  /** The generated repository (a git repository; for locally published services its directory). Only branches are added to it. */
  readonly repoDir: string;
  /**
   * Template folders (holding template.yaml: the current version, and
   * `versions/<version>/` with earlier ones), or folders of them.
   */
  readonly templateDirs: readonly string[];
  /** The version to upgrade to; default: the template's current version. */
  readonly toVersion?: string;
  /** Answers to add or correct (new questions without a default, answers the new version refuses); recorded with the upgrade. */
  readonly answers?: Record<string, unknown>;
  /** The default branch to start from; default: the repository's HEAD branch. */
  readonly baseBranch?: string;
  /** Run the service's own `npm test` on the merged result (default true; skipped when there are conflicts). */
  readonly runTests?: boolean;
  /** Run synth + the safety policy on the merged result (default true; skipped when there are conflicts). */
  readonly runPolicy?: boolean;
  /** Wall-time cap of the service's tests (default 300 s). */
  readonly testTimeoutMs?: number;
  /** Extra environment of the service's tests (e.g. NODE_PATH where its dependencies resolve). */
  readonly testEnv?: Record<string, string>;
  /** Where manifest extensions (repository code) are synthesized; without it such a service's policy check fails with a reason. */
  readonly sandbox?: SandboxPool;
  /**
   * Called after a merge without conflicts on the upgrade branch's work
   * tree with the files the upgrade changes, e.g. to pack dependencies
   * again; what it changes is committed separately.
   */
  readonly afterMerge?: (
    dir: string,
    merge: { changedFiles: string[] },
  ) => Promise<void>;
  /**
   * Decides whether the upgrade may happen, once the repository's origin and
   * entity are read and before anything is rendered or pushed: throwing
   * refuses it (the error is rethrown, nothing changed). Callers acting for
   * a person check that person's permission here.
   */
  readonly authorize?: (subject: UpgradeSubject) => Promise<void>;
  /** Author and committer of the commits made. */
  readonly author?: { name: string; email: string };
  readonly onProgress?: (event: {
    stage: UpgradeStage;
    message: string;
  }) => void;
}

/** What {@link upgradeService} returns. */
export interface UpgradeResult {
  /** The template the repository was made from. */
  readonly template: string;
  readonly fromVersion: string;
  readonly toVersion: string;
  /** The branch pushed to the repository: `stackyard/upgrade-<version>`. */
  readonly branch: string;
  /** The commit at the tip of {@link UpgradeResult.branch}. */
  readonly commit: string;
  /** Paths the merge could not settle, one per file. */
  readonly conflicts: string[];
  readonly conflictDetails: UpgradeConflict[];
  /** The service's tests passed; `null` when not run (conflicts, or turned off). */
  readonly testsPassed: boolean | null;
  /** Synth + safety policy passed; `null` when not run (conflicts, or turned off). */
  readonly policyPassed: boolean | null;
  /** New parameters of the version that took their defaults. */
  readonly defaultedAnswers: string[];
  /** What happened, line by line (also sent to onProgress). */
  readonly log: string[];
  /** Milliseconds per stage. */
  readonly timings: Partial<Record<UpgradeStage, number>>;
}
