import type {
  AcknowledgedFinding,
  Finding,
  PassedCheck,
} from '../policy/types';

/**
 * Thrown when a deploy was refused before anything reached CloudFormation:
 * the input (manifest, assembly, policy) is not deployable as it is.
 */
export class DeployRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployRefusedError';
  }
}

/** Thrown when the safety policy found problems in the assembly to deploy. */
export class PolicyFindingsError extends DeployRefusedError {
  constructor(
    readonly findings: readonly Finding[],
    /** Warnings of the same check: reported, never the reason it failed. */
    readonly warnings: readonly Finding[] = [],
    /** Findings of the same check accepted by acknowledgements. */
    readonly acknowledged: readonly AcknowledgedFinding[] = [],
    /** Rules of the same check that passed. */
    readonly passed: readonly PassedCheck[] = [],
  ) {
    super(
      `the safety policy found ${findings.length} problem(s) in the assembly to deploy`,
    );
    this.name = 'PolicyFindingsError';
  }
}

/**
 * Thrown when a deploy was refused because it broadens IAM or
 * security-group permissions and broadening was not approved. The change
 * set is deleted; the stack is left as it was.
 */
export class BroadeningRefusedError extends Error {
  constructor(readonly stackName: string, hint: string) {
    super(
      `Deploy of ${stackName} refused: it broadens IAM or security-group permissions. Review the change above and ${hint}`,
    );
    this.name = 'BroadeningRefusedError';
  }
}
