/** One problem in a manifest. */
export interface ManifestIssue {
  /** The path of the bad key, e.g. `functions.worker.memorySize`. */
  readonly path: string;
  /** The 1-based line of the bad key, when known. */
  readonly line?: number;
  /** The 1-based column of the bad key, when known. */
  readonly column?: number;
  /** What is wrong. */
  readonly message: string;
}

/** Thrown when a service manifest is not valid YAML or breaks its schema. */
export class ManifestError extends Error {
  /** The file the manifest came from. */
  readonly file: string;
  /** Every problem found. */
  readonly issues: readonly ManifestIssue[];

  constructor(file: string, issues: readonly ManifestIssue[]) {
    super(
      `invalid service manifest ${file}:\n${issues
        .map(i => `  ${formatIssue(file, i)}`)
        .join('\n')}`,
    );
    this.name = 'ManifestError';
    this.file = file;
    this.issues = issues;
  }
}

/** Renders an issue as `file:line:column path: message`. */
export function formatIssue(file: string, issue: ManifestIssue): string {
  const where =
    issue.line !== undefined ? `${file}:${issue.line}:${issue.column ?? 1}` : file;
  return `${where} ${issue.path || '(root)'}: ${issue.message}`;
}
